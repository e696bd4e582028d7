import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The credentials `axon` hands out work on a real coturn configured as the setup guide configures it
/// (`use-auth-secret`, the same `static-auth-secret` as `turn_shared_secret`), and nothing else does.
@Suite(.enabled(if: Coturn.isAvailable, "needs coturn (make test-deps installs it)"))
struct TURNServerTests {
    @Test func coturnAllocatesWithTheHandedOutCredentialsAndRefusesOthers() async throws {
        let secret = "turn-secret-\(UUID().uuidString)"
        TestSecrets.record(secret)
        let turn = try await Coturn(sharedSecret: secret)
        let fixture = try await AccountServerFixture.make(extra: """
            turn_uris: ["turn:127.0.0.1:\(turn.port)?transport=udp"]
            turn_shared_secret: "\(secret)"
            turn_user_lifetime: 1h
            """)
        let server = try await fixture.start()
        try await server.whileRunning {
            let token = try await Self.register("turnuser", at: fixture.baseURL)
            let reply = try await TestHTTP.request(
                "GET", fixture.baseURL + "/_matrix/client/v3/voip/turnServer", headers: [("Authorization", "Bearer \(token)")]
            )
            #expect(reply.status == 200, "\(reply.body)")
            let json = try #require(reply.json)
            #expect(json["uris"] == [.string("turn:127.0.0.1:\(turn.port)?transport=udp")] && json["ttl"] == 3600, "\(reply.body)")
            let username = try #require(json["username"]?.stringValue)
            let password = try #require(json["password"]?.stringValue)
            #expect(username.hasSuffix(":@turnuser:accounts.test"), "\(username)")
            TestSecrets.record(password)

            // The refusals come first, so the allocation that follows shows the server was up and answering.
            let wrongPassword = try await turn.allocate(username: username, password: (password.hasPrefix("A") ? "B" : "A") + password.dropFirst())
            #expect(wrongPassword.status != 0, "a wrong password allocated: \(wrongPassword.output)")
            let otherUser = try await turn.allocate(username: username.replacingOccurrences(of: "@turnuser", with: "@mallory"), password: password)
            #expect(otherUser.status != 0, "the password of one user ID allocated for another: \(otherUser.output)")
            let allocated = try await turn.allocate(username: username, password: password)
            #expect(allocated.status == 0, "turnutils_uclient: \(allocated.output)\nturnserver: \(turn.logText)")
        }
    }

    /// Registers through the `m.login.dummy` flow; returns the access token (recorded as a secret).
    static func register(_ username: String, at baseURL: String) async throws -> String {
        let url = baseURL + "/_matrix/client/v3/register"
        let challenge = try await TestHTTP.request("POST", url, body: #"{"username": "\#(username)", "password": "turn-password-long-enough"}"#)
        let session = try #require(challenge.json?["session"]?.stringValue, "\(challenge.body)")
        let done = try await TestHTTP.request("POST", url, body: #"{"auth": {"type": "m.login.dummy", "session": "\#(session)"}}"#)
        let token = try #require(done.json?["access_token"]?.stringValue, "\(done.body)")
        TestSecrets.record(token)
        return token
    }
}
