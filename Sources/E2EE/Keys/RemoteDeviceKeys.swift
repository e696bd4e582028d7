public import MatrixTypes

/// How keys of other servers' users are asked for: `/user/keys/query` and `/user/keys/claim` over federation.
/// Each answers the other server's response body, or throws when it could not be had.
public protocol RemoteDeviceKeys: Sendable {
    func query(_ deviceKeys: JSONObject, on server: ServerName, timeout: Duration) async throws -> JSONObject
    func claim(_ oneTimeKeys: JSONObject, on server: ServerName, timeout: Duration) async throws -> JSONObject
}

/// A server's entry in `failures` when its users' keys could not be had (Synapse's form).
let unreachableServer: JSONValue = ["status": 503, "message": "The server did not answer"]
