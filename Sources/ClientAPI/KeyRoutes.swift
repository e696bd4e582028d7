public import E2EE
import HTTPTypes
public import MatrixHTTP
import MatrixTypes
import Replication

/// `/keys/upload`, `/keys/query`, `/keys/claim` and `/keys/changes`. Uploads and claims change keys and go to the
/// main process, which writes the device-list stream; queries and changes are reads for client readers.
public enum KeyRoutes {
    static let uploadShape = RequestShape(
        body: .jsonObject([
            BodyField("device_keys", .object, required: false, example: [:]),
            BodyField("one_time_keys", .object, required: false, example: [:]),
            BodyField("fallback_keys", .object, required: false, example: [:]),
        ])
    )
    static let queryShape = RequestShape(
        body: .jsonObject([
            BodyField("device_keys", .object, required: true, example: ["@alice:axon.test": []]),
            BodyField("timeout", .integer, required: false, example: 10_000),
        ])
    )
    static let claimShape = RequestShape(
        body: .jsonObject([
            BodyField("one_time_keys", .object, required: true, example: ["@alice:axon.test": ["NODEVICE": "signed_curve25519"]]),
            BodyField("timeout", .integer, required: false, example: 10_000),
        ])
    )
    static let changesShape = RequestShape(query: [
        QueryField("from", .string, required: true, example: "a2_0_0_0_0.0.0_0_0"),
        QueryField("to", .string, required: true, example: "a2_0_0_0_0.0.0_0_0"),
    ])

    public static func routes(keys: KeyService, deviceLists: DeviceListStream) -> [Route] {
        ClientPath.expand("/keys/upload").map { upload($0, keys) } + ClientPath.expand("/keys/upload/{deviceId}").map { upload($0, keys) }
            + ClientPath.expand("/keys/query").map { query($0, keys) }
            + ClientPath.expand("/keys/claim").map { claim($0, keys) }
            + ClientPath.expand("/keys/changes").map { changes($0, deviceLists) }
    }

    /// The `{deviceId}` form is deprecated; the keys are always the requester's device's.
    static func upload(_ path: String, _ keys: KeyService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: uploadShape) { request in
            let upload = try KeyUpload(body: request.body.objectValue ?? [:], requester: request.requester)
            let counts = try await keys.upload(upload, requester: request.requester)
            return .json(["one_time_key_counts": KeyService.json(counts: counts)])
        }
    }

    static func query(_ path: String, _ keys: KeyService) -> Route {
        Route(.post, path, resource: .client, role: .clientReader, auth: .user, shape: queryShape) { request in
            .json(.object(try await keys.query(
                request.body["device_keys"]?.objectValue ?? [:], timeout: timeout(request.body), requester: request.requester
            )))
        }
    }

    static func claim(_ path: String, _ keys: KeyService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: claimShape) { request in
            .json(.object(try await keys.claim(request.body["one_time_keys"]?.objectValue ?? [:], timeout: timeout(request.body))))
        }
    }

    /// Users whose devices changed between two sync tokens.
    static func changes(_ path: String, _ deviceLists: DeviceListStream) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user, shape: changesShape) { request in
            guard let from = request.query["from"].flatMap(SyncToken.init), let to = request.query["to"].flatMap(SyncToken.init) else {
                throw E2EEError.badToken
            }
            return .json(try await deviceLists.changes(for: request.requester.userID, from: from, to: to).json)
        }
    }

    /// How long other servers may take, from the body's `timeout` in milliseconds (at most a minute).
    private static func timeout(_ body: JSONValue) -> Duration? {
        body["timeout"]?.integerValue.map { .milliseconds(min(max($0, 0), 60_000)) }
    }
}
