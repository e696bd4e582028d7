public import E2EE
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// `/_matrix/federation/v1/user/keys/query`, `/user/keys/claim` and `/user/devices/{userId}`: this server's users'
/// device keys, one-time keys and device lists, for other servers' users.
public enum FederationKeyRoutes {
    static let queryShape = RequestShape(body: .jsonObject([BodyField("device_keys", .object, required: true, example: [:])]))
    static let claimShape = RequestShape(body: .jsonObject([BodyField("one_time_keys", .object, required: true, example: [:])]))

    public static func routes(_ keys: KeyService) -> [Route] {
        [
            .federation(.post, "/_matrix/federation/v1/user/keys/query", shape: queryShape) { request in
                .json(.object(try await keys.answerQuery(request.request.body["device_keys"]?.objectValue ?? [:])))
            },
            .federation(.post, "/_matrix/federation/v1/user/keys/claim", shape: claimShape) { request in
                .json(.object(try await keys.answerClaim(request.request.body["one_time_keys"]?.objectValue ?? [:])))
            },
            .federation(.get, "/_matrix/federation/v1/user/devices/{userId}") { request in
                .json(.object(try await keys.answerDevices(of: try request.request.identifier("userId"))))
            },
        ]
    }
}
