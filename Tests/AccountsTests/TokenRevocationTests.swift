import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Testing

/// Resolved access tokens are kept in memory, and every way of revoking one forgets them: a token used just before
/// is refused just after logging out, logging out everywhere, deleting its device, a password change (for the other
/// devices) and deactivation.
@Suite struct TokenRevocationTests {
    typealias Fixture = AccountServicesFixture

    @Test func everyRevocationForgetsTheTokensItRevoked() async throws {
        try await withEachDatabase { database in
            let services = Fixture.services(database)
            let revocations: [(String, (AccountServices, Requester) async throws -> Void)] = [
                ("log out", { services, requester in try await services.logout.logOut(requester) }),
                ("log out everywhere", { services, requester in try await services.logout.logOutEverywhere(requester) }),
                ("delete the device", { services, requester in
                    try await Self.withPassword(requester) { body in
                        try await services.devices.delete(requester.deviceID, UIASubmission(body: body), requester: requester)
                    }
                }),
                ("delete devices", { services, requester in
                    try await Self.withPassword(requester, ["devices": [.string(requester.deviceID)]]) { body in
                        try await services.devices.deleteDevices(UIASubmission(body: body), requester: requester)
                    }
                }),
                ("change the password on another device", { services, requester in
                    let other = try await Self.logIn(services, requester.userID)
                    try await Self.withPassword(other, ["new_password": "pw"]) { body in
                        try await services.account.changePassword(UIASubmission(body: body, passwordField: "new_password"), requester: other)
                    }
                }),
                ("deactivate", { services, requester in
                    try await Self.withPassword(requester) { body in
                        try await services.account.deactivate(UIASubmission(body: body), requester: requester)
                    }
                }),
            ]
            for (index, (name, revoke)) in revocations.enumerated() {
                let nonce = try await services.sharedSecret.newNonce()
                let registered = try await services.sharedSecret.register(
                    Fixture.sharedSecretRequest(nonce: nonce, username: "user\(index)", password: "pw")
                )
                let token = try #require(registered.session?.accessToken)
                let requester = try #require(try await services.tokens.requester(forAccessToken: token))
                #expect(try await services.tokens.requester(forAccessToken: token) == requester, "\(name): resolved again")
                try await revoke(services, requester)
                #expect(try await services.tokens.requester(forAccessToken: token) == nil, "\(name): the token still works")
            }
        }
    }

    private static func logIn(_ services: AccountServices, _ user: UserID) async throws -> Requester {
        let session = try await services.login.logIn(
            ["type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(user.rawValue)], "password": "pw"],
            address: "127.0.0.1"
        )
        return try #require(try await services.tokens.requester(forAccessToken: session.accessToken))
    }

    /// Runs a request behind user-interactive auth: once to open the session, then with the password.
    private static func withPassword(
        _ requester: Requester, _ body: JSONObject = [:], _ request: (JSONObject) async throws -> Void
    ) async throws {
        var session = ""
        do {
            try await request(body)
        } catch UIAError.incomplete(let challenge) {
            session = challenge.session
        }
        var authenticated = body
        authenticated["auth"] = [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(requester.userID.rawValue)],
            "password": "pw", "session": .string(session),
        ]
        try await request(authenticated)
    }
}
