public import Accounts
public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// OpenID: `POST /user/{userId}/openid/request_token` hands the user a token for a third party, which checks it
/// with the federation `GET /_matrix/federation/v1/openid/userinfo`. That check is the one federation endpoint
/// Axon answers today; it is the listener resource `openid`, which `federation` includes, as in Synapse.
public enum OpenIDRoutes {
    public static func routes(_ openID: OpenIDTokenService) -> [Route] {
        ClientPath.expand("/user/{userId}/openid/request_token").map { requestToken($0, openID) } + [userInfo(openID)]
    }

    /// The body must be a JSON object; as Synapse, its contents are ignored.
    static let requestTokenShape = RequestShape(body: .jsonObject([]))

    static func requestToken(_ path: String, _ openID: OpenIDTokenService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: requestTokenShape) { request in
            let issued = try await openID.issue(for: try request.identifier("userId"), requester: request.requester)
            return .json([
                "access_token": .string(issued.token),
                "token_type": "Bearer",
                "matrix_server_name": .string(issued.serverName.rawValue),
                "expires_in": .integer(issued.expiresInSeconds),
            ])
        }
    }

    static let userInfoQuery = RequestShape(query: [QueryField("access_token", .string, example: "abcdefghijklmnopqrstuvwx")])

    /// Answers without request signatures: the caller is a third party, not a server. The errors are Synapse's.
    static func userInfo(_ openID: OpenIDTokenService) -> Route {
        Route(.get, "/_matrix/federation/v1/openid/userinfo", resource: .openid, role: .main, shape: userInfoQuery) { request in
            guard let token = request.query["access_token"] else {
                throw MatrixError(.missingToken, "Access Token required", status: 401)
            }
            guard let userID = try await openID.userID(forToken: token) else {
                throw MatrixError(.unknownToken, "Access Token unknown or expired", status: 401)
            }
            return .json(["sub": .string(userID.rawValue)])
        }
    }
}
