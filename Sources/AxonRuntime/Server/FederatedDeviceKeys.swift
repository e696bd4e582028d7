import E2EE
import Federation
import MatrixTypes
import NIOHTTP1

/// Other servers' users' keys, asked of their server with `/_matrix/federation/v1/user/keys/query` and
/// `/user/keys/claim`, one try each within the client's timeout.
struct FederatedDeviceKeys: RemoteDeviceKeys {
    let client: FederationClient

    func query(_ deviceKeys: JSONObject, on server: ServerName, timeout: Duration) async throws -> JSONObject {
        try await ask("/_matrix/federation/v1/user/keys/query", ["device_keys": .object(deviceKeys)], server, timeout)
    }

    func claim(_ oneTimeKeys: JSONObject, on server: ServerName, timeout: Duration) async throws -> JSONObject {
        try await ask("/_matrix/federation/v1/user/keys/claim", ["one_time_keys": .object(oneTimeKeys)], server, timeout)
    }

    private func ask(_ path: String, _ body: JSONValue, _ server: ServerName, _ timeout: Duration) async throws -> JSONObject {
        let answer = try await client.send(.POST, path, to: server, content: body, retrying: false, timeout: timeout)
        guard let object = answer.objectValue else { throw FederationRequestError.malformedResponse("\(path) answered no object") }
        return object
    }
}
