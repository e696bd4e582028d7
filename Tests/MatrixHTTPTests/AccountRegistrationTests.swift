import HTTPTypes
import MatrixTypes
import Testing

/// `POST /register` and `GET /register/available` over HTTP, on SQLite and PostgreSQL.
@Suite struct AccountRegistrationTests {
    @Test func dummyFlowRegistersAndLogsIn() async throws {
        try await AccountTestServer.run { client in
            let first = try await client.call(.post, "/_matrix/client/v3/register", ["username": "Alice", "password": "pw-alice-1"])
            #expect(first.status == 401)
            #expect(first.json["flows"] == [["stages": ["m.login.dummy"]]])
            #expect(first.json["params"] == [:])
            #expect(first.json["completed"] == nil)
            #expect(first.json["errcode"] == nil)
            let session = try #require(first.json["session"]?.stringValue)
            let done = try await client.call(.post, "/_matrix/client/v3/register", ["auth": ["type": "m.login.dummy", "session": .string(session)]])
            #expect(done.status == 200, "\(done)")
            #expect(done.json["user_id"] == "@alice:axon.test", "usernames are lower-cased")
            #expect(done.json["home_server"] == "axon.test")
            let token = try #require(done.json["access_token"]?.stringValue)
            #expect(token.hasPrefix("syt_YWxpY2U_"), "the token carries the base64 localpart: \(token)")
            let whoami = try await client.whoami(token)
            #expect(whoami.json == ["user_id": "@alice:axon.test", "device_id": done.json["device_id"]!, "is_guest": false])
            #expect(try await client.login("alice", password: "pw-alice-1").status == 200)
        }
    }

    @Test func oneRequestWithTheDummyStageRegisters() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(
                .post, "/_matrix/client/r0/register",
                ["username": "bob", "password": "pw", "device_id": "BOBDEVICE", "initial_device_display_name": "Bob's phone", "auth": ["type": "m.login.dummy"]]
            )
            #expect(reply.status == 200, "\(reply)")
            #expect(reply.json["device_id"] == "BOBDEVICE")
            let token = try #require(reply.json["access_token"]?.stringValue)
            let device = try await client.call(.get, "/_matrix/client/v3/devices/BOBDEVICE", token: token)
            #expect(device.json["display_name"] == "Bob's phone")
        }
    }

    @Test func parametersFromTheFirstRequestAreRemembered() async throws {
        try await AccountTestServer.run { client in
            let first = try await client.call(.post, "/_matrix/client/v3/register", ["username": "carol", "password": "pw", "inhibit_login": true])
            let session = try #require(first.json["session"]?.stringValue)
            let done = try await client.call(.post, "/_matrix/client/v3/register", ["auth": ["type": "m.login.dummy", "session": .string(session)]])
            #expect(done.status == 200)
            #expect(done.json == ["user_id": "@carol:axon.test", "home_server": "axon.test"], "inhibit_login: no token")
            let again = try await client.call(.post, "/_matrix/client/v3/register", ["username": "carol", "auth": ["session": .string(session)]])
            #expect(again.status == 200, "a retried final request returns the same account: \(again)")
            #expect(again.json["user_id"] == "@carol:axon.test")
            #expect(try await client.login("carol", password: "pw").status == 200, "the password given on the first request was kept")
        }
    }

    @Test func withoutUsernameAnIDIsGenerated() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["password": "pw", "auth": ["type": "m.login.dummy"]])
            #expect(reply.status == 200)
            let userID = try #require(reply.json["user_id"]?.stringValue)
            #expect(try UserID(userID).localpart.allSatisfy(\.isNumber), "\(userID)")
        }
    }

    @Test(arguments: [
        ("al ice", "M_INVALID_USERNAME"), ("al:ice", "M_INVALID_USERNAME"), ("_bridge", "M_INVALID_USERNAME"),
        ("12345", "M_INVALID_USERNAME"), (String(repeating: "a", count: 250), "M_INVALID_USERNAME"), ("émile", "M_INVALID_USERNAME"),
    ])
    func badUsernamesAreRefusedBeforeAuth(username: String, errcode: String) async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["username": .string(username), "password": "pw"])
            #expect(reply.status == 400, "\(username): \(reply)")
            #expect(reply.errcode == errcode)
            let available = try await client.call(.get, "/_matrix/client/v3/register/available?username=\(AccountClient.queryEncoded(username))")
            #expect(available.errcode == errcode)
        }
    }

    @Test func takenNamesAreInUse() async throws {
        try await AccountTestServer.run { client in
            #expect(try await client.call(.get, "/_matrix/client/v3/register/available?username=dave").json == ["available": true])
            try await client.register("dave")
            let available = try await client.call(.get, "/_matrix/client/v3/register/available?username=dave")
            #expect(available.status == 400)
            #expect(available.errcode == "M_USER_IN_USE")
            let again = try await client.call(.post, "/_matrix/client/v3/register", ["username": "DAVE", "password": "pw"])
            #expect(again.errcode == "M_USER_IN_USE")
        }
    }

    @Test func aPasswordIsRequired() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["username": "erin", "auth": ["type": "m.login.dummy"]])
            #expect(reply.status == 400)
            #expect(reply.errcode == "M_MISSING_PARAM")
            let long = try await client.call(.post, "/_matrix/client/v3/register", ["username": "erin", "password": .string(String(repeating: "p", count: 513))])
            #expect(long.errcode == "M_INVALID_PARAM")
        }
    }

    @Test func unknownSessionsAreRefused() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["auth": ["type": "m.login.dummy", "session": "nosuchsession"]])
            #expect(reply.status == 400)
            #expect(reply.errcode == "M_UNKNOWN")
        }
    }

    @Test func closedRegistrationIsForbidden() async throws {
        try await AccountTestServer.run(["enable_registration": "false"]) { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["username": "frank", "password": "pw", "auth": ["type": "m.login.dummy"]])
            #expect(reply.status == 403)
            #expect(reply.errcode == "M_FORBIDDEN")
            let available = try await client.call(.get, "/_matrix/client/v3/register/available?username=frank")
            #expect(available.errcode == "M_FORBIDDEN")
        }
    }

    @Test func tokenOnlyRegistrationIsForbiddenUntilTokensExist() async throws {
        try await AccountTestServer.run(["registration_requires_token": "true", "enable_registration_without_verification": "false"]) { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register", ["username": "gina", "password": "pw", "auth": ["type": "m.login.dummy"]])
            #expect(reply.status == 403)
            #expect(reply.errcode == "M_FORBIDDEN")
        }
    }

    @Test func guestsNeedGuestAccess() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register?kind=guest", [:])
            #expect(reply.status == 403)
            #expect(reply.errcode == "M_GUEST_ACCESS_FORBIDDEN")
        }
        try await AccountTestServer.run(["allow_guest_access": "true"]) { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register?kind=guest", ["initial_device_display_name": "guest tab"])
            #expect(reply.status == 200, "\(reply)")
            let token = try #require(reply.json["access_token"]?.stringValue)
            let whoami = try await client.whoami(token)
            #expect(whoami.json["is_guest"] == true)
            #expect(try UserID(#require(whoami.json["user_id"]?.stringValue)).localpart.allSatisfy(\.isNumber))
            let forbidden = try await client.call(.get, "/_matrix/client/v3/account/3pid", token: token)
            #expect(forbidden.status == 403)
            #expect(forbidden.errcode == "M_GUEST_ACCESS_FORBIDDEN")
            #expect(try await client.call(.get, "/_matrix/client/v3/capabilities", token: token).status == 200, "capabilities allow guests")
        }
    }

    @Test func unknownKindIsInvalid() async throws {
        try await AccountTestServer.run { client in
            let reply = try await client.call(.post, "/_matrix/client/v3/register?kind=robot", [:])
            #expect(reply.status == 400)
            #expect(reply.errcode == "M_INVALID_PARAM")
        }
    }
}
