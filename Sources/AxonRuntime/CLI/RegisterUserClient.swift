import Accounts
import AsyncHTTPClient
import Foundation
import MatrixTypes
import NIOCore
import NIOHTTP1

/// The HTTP side of `axon register-user`: fetch a nonce, send the MAC-signed registration, report as
/// Synapse's script does.
struct RegisterUserClient {
    struct Registration {
        var user: String
        var password: String
        var admin: Bool
        var userType: String?
    }

    let serverURL: String
    let secret: String
    let existsOK: Bool

    private var endpoint: String { serverURL.trimmingSuffix("/") + "/_synapse/admin/v1/register" }

    func register(_ registration: Registration) async throws {
        let nonceReply = try await send(.GET, body: nil)
        guard nonceReply.status == .ok, let nonce = nonceReply.json?["nonce"]?.stringValue else { reportFailure(nonceReply) }
        let mac = SharedSecretMAC.hex(
            secret: secret, nonce: nonce, username: registration.user, password: registration.password, admin: registration.admin,
            userType: registration.userType
        )
        let body: JSONValue = [
            "nonce": .string(nonce), "username": .string(registration.user), "password": .string(registration.password),
            "mac": .string(mac), "admin": .bool(registration.admin), "user_type": registration.userType.map(JSONValue.string) ?? .null,
        ]
        print("Sending registration request...")
        let reply = try await send(.POST, body: body)
        guard reply.status == .ok else {
            if existsOK, reply.json?["errcode"]?.stringValue == "M_USER_IN_USE" {
                print("User already exists. Skipping.")
                return
            }
            reportFailure(reply)
        }
        print("Success!")
    }

    private struct Reply {
        let status: HTTPResponseStatus
        let json: JSONValue?
    }

    private func send(_ method: HTTPMethod, body: JSONValue?) async throws -> Reply {
        var request = HTTPClientRequest(url: endpoint)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encoded()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1024 * 1024)
        return Reply(status: response.status, json: try? JSONValue.parse(bytes.readableBytesView))
    }

    /// `ERROR! Received 403 Forbidden`, then the server's `error` text for a client error; exits 1.
    private func reportFailure(_ reply: Reply) -> Never {
        print("ERROR! Received \(reply.status.code) \(reply.status.reasonPhrase)")
        if (400..<500).contains(reply.status.code), let error = reply.json?["error"]?.stringValue { print(error) }
        exit(1)
    }
}

extension String {
    func trimmingSuffix(_ suffix: Character) -> String {
        var result = self
        while result.last == suffix { result.removeLast() }
        return result
    }
}
