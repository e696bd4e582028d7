import HTTPTypes
import HummingbirdTesting
import MatrixTypes
import NIOCore
import Testing

/// `/login`, `/logout`, `/logout/all` and how access tokens are read, on SQLite and PostgreSQL.
@Suite struct LoginTests {
    @Test func loginTypesArePasswordOnly() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.get, "/_matrix/client/v3/login")
            #expect(reply.json == ["flows": [["type": "m.login.password"]]])
        }
    }

    @Test func passwordLoginWithEachIdentifierForm() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let byIdentifier = try await client.login("alice", password: alice.password)
            #expect(byIdentifier.status == 200)
            #expect(byIdentifier.json["user_id"] == "@alice:axon.test")
            #expect(byIdentifier.json["home_server"] == "axon.test")
            #expect(byIdentifier.json["well_known"] == nil, "no public_baseurl, no well_known")
            let byFullID = try await client.login("@Alice:axon.test", password: alice.password)
            #expect(byFullID.status == 200, "user IDs match case-insensitively")
            let legacy = try await client.call(.post, "/_matrix/client/r0/login", ["type": "m.login.password", "user": "alice", "password": .string(alice.password)])
            #expect(legacy.status == 200, "the deprecated top-level user field still works")
            let tokens = [byIdentifier, byFullID, legacy].compactMap { $0.json["access_token"]?.stringValue }
            #expect(Set(tokens).count == 3)
            #expect(Set([byIdentifier, byFullID, legacy].compactMap { $0.json["device_id"]?.stringValue }).count == 3, "a device per login")
        }
    }

    /// Identifiers key the failed-attempt limiter, so one longer than any user ID is refused before it is counted.
    @Test func overlongIdentifiersAreRefused() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.login(String(repeating: "a", count: 256), password: "x")
            #expect(reply.status == 400, "\(reply)")
            #expect(reply.errcode == "M_INVALID_PARAM")
            let thirdParty = try await client.call(
                .post, "/_matrix/client/v3/login",
                ["type": "m.login.password", "identifier": ["type": "m.id.thirdparty", "medium": "email", "address": .string(String(repeating: "a", count: 300))], "password": "x"]
            )
            #expect(thirdParty.errcode == "M_INVALID_PARAM", "\(thirdParty)")
        }
    }

    @Test func loggingInOnAKnownDeviceKeepsIt() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let again = try await client.login("alice", password: alice.password, deviceID: alice.deviceID)
            #expect(again.json["device_id"] == .string(alice.deviceID))
            let devices = try await client.call(.get, "/_matrix/client/v3/devices", token: alice.token)
            #expect(devices.json["devices"]?.arrayValue?.count == 1)
            let tooLong = try await client.login("alice", password: alice.password, deviceID: String(repeating: "D", count: 513))
            #expect(tooLong.errcode == "M_INVALID_PARAM")
        }
    }

    @Test func wrongCredentialsAreForbidden() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            for reply in [
                try await client.login("alice", password: "not it"),
                try await client.login("nobody", password: alice.password),
                try await client.login("@alice:elsewhere.test", password: alice.password),
                try await client.call(
                    .post, "/_matrix/client/v3/login",
                    ["type": "m.login.password", "identifier": ["type": "m.id.thirdparty", "medium": "email", "address": "a@b.c"], "password": "x"]
                ),
            ] {
                #expect(reply.status == 403, "\(reply)")
                #expect(reply.json == ["errcode": "M_FORBIDDEN", "error": "Invalid username or password"])
            }
        }
    }

    @Test(arguments: [
        (#"{"type":"m.login.token","token":"abc"}"#, 400, "M_UNKNOWN"),
        (#"{"type":"m.login.sso"}"#, 400, "M_UNKNOWN"),
        (#"{"type":"m.login.password","password":"x"}"#, 400, "M_INVALID_PARAM"),
        (#"{"type":"m.login.password","identifier":{"user":"a"},"password":"x"}"#, 400, "M_MISSING_PARAM"),
        (#"{"type":"m.login.password","identifier":{"type":"m.id.phone"},"password":"x"}"#, 400, "M_INVALID_PARAM"),
        (#"{"type":"m.login.password","identifier":{"type":"m.id.other"},"password":"x"}"#, 400, "M_UNKNOWN"),
        (#"{"type":"m.login.password","identifier":{"type":"m.id.user"},"password":"x"}"#, 400, "M_UNKNOWN"),
        (#"{"type":"m.login.password","user":"a"}"#, 400, "M_INVALID_PARAM"),
    ])
    func malformedSubmissions(body: String, status: Int, errcode: String) async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/login", try JSONValue.parse(body))
            #expect(reply.status == status, "\(body): \(reply)")
            #expect(reply.errcode == errcode, "\(body): \(reply)")
        }
    }

    @Test func deactivatedAccountsCannotLogIn() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let done = try await client.call(.post, "/_matrix/client/v3/account/deactivate", ["auth": AccountClient.passwordAuth(alice)], token: alice.token)
            #expect(done.status == 200, "\(done)")
            let reply = try await client.login("alice", password: alice.password)
            #expect(reply.status == 403)
            #expect(reply.errcode == "M_FORBIDDEN")
        }
    }

    @Test func loginCarriesWellKnownWhenPublicBaseURLIsSet() async throws {
        try await AccountTestServer.run(["public_baseurl": "https://matrix.axon.test/"]) { client in
            let alice = try await client.register("alice")
            let reply = try await client.login("alice", password: alice.password)
            #expect(reply.json["well_known"] == ["m.homeserver": ["base_url": "https://matrix.axon.test/"]])
        }
    }

    @Test func logoutRevokesTheTokenAndItsDevice() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            #expect(try await client.call(.post, "/_matrix/client/v3/logout", token: alice.token).json == [:])
            let revoked = try await client.whoami(alice.token)
            #expect(revoked.status == 401)
            #expect(revoked.json == ["errcode": "M_UNKNOWN_TOKEN", "error": "Unrecognised access token", "soft_logout": false])
            let devices = try await client.call(.get, "/_matrix/client/v3/devices", token: other.token)
            #expect(devices.json["devices"]?.arrayValue?.compactMap { $0["device_id"]?.stringValue } == [other.deviceID])
        }
    }

    @Test func logoutAllRevokesEveryToken() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            #expect(try await client.call(.post, "/_matrix/client/r0/logout/all", token: other.token).status == 200)
            #expect(try await client.whoami(alice.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.whoami(other.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.login("alice", password: alice.password).status == 200, "the account itself is untouched")
        }
    }

    @Test func tokensComeFromTheHeaderOrTheQuery() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let viaQuery = try await client.call(.get, "/_matrix/client/v3/account/whoami", nil, credential: .query(alice.token))
            #expect(viaQuery.json["user_id"] == "@alice:axon.test")
            let none = try await client.call(.get, "/_matrix/client/v3/account/whoami")
            #expect(none.json == ["errcode": "M_MISSING_TOKEN", "error": "Missing access token"])
            let both = try await client.client.execute(
                uri: "/_matrix/client/v3/account/whoami?access_token=\(AccountClient.queryEncoded(alice.token))", method: .get,
                headers: [.authorization: "Bearer \(alice.token)"]
            )
            #expect(both.status.code == 401)
            #expect(String(buffer: both.body).contains("M_MISSING_TOKEN"))
            let basic = try await client.client.execute(uri: "/_matrix/client/v3/account/whoami", method: .get, headers: [.authorization: "Basic abc"])
            #expect(String(buffer: basic.body).contains("Invalid Authorization header."))
        }
    }
}
