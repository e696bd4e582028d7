import HTTPTypes
import MatrixTypes
import Testing

/// `/account/password`, `/account/deactivate`, `/account/whoami` and `/account/3pid`, with user-interactive auth.
@Suite struct AccountManagementTests {
    @Test func aWrongPasswordIsRefusedWithTheFlowsAndChangesNothing() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            let first = try await client.call(.post, "/_matrix/client/v3/account/password", ["new_password": "new-pw"], token: alice.token)
            #expect(first.status == 401)
            #expect(first.json["flows"] == [["stages": ["m.login.password"]]])
            let session = try #require(first.json["session"]?.stringValue)
            let wrong = try await client.call(
                .post, "/_matrix/client/v3/account/password",
                ["new_password": "new-pw", "auth": AccountClient.passwordAuth(alice, password: "not it", uiaSession: session)], token: alice.token
            )
            #expect(wrong.status == 401)
            #expect(wrong.json["flows"] == [["stages": ["m.login.password"]]])
            #expect(wrong.json["session"] == .string(session))
            #expect(wrong.json["errcode"] == "M_FORBIDDEN")
            #expect(wrong.json["completed"] == [])
            #expect(try await client.login("alice", password: alice.password).status == 200, "the old password still works")
            #expect(try await client.login("alice", password: "new-pw").status == 403)
            #expect(try await client.whoami(other.token).status == 200, "no session was revoked")
        }
    }

    @Test func theRightPasswordChangesItAndLogsOutOtherDevices() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            let first = try await client.call(.post, "/_matrix/client/v3/account/password", ["new_password": "new-pw"], token: alice.token)
            let session = try #require(first.json["session"]?.stringValue)
            let done = try await client.call(
                .post, "/_matrix/client/v3/account/password", ["auth": AccountClient.passwordAuth(alice, uiaSession: session)], token: alice.token
            )
            #expect(done.status == 200, "the new password given on the first request was kept: \(done)")
            #expect(try await client.whoami(alice.token).status == 200, "the requester's own token keeps working")
            #expect(try await client.whoami(other.token).errcode == "M_UNKNOWN_TOKEN", "logout_devices defaults to true")
            let devices = try await client.call(.get, "/_matrix/client/v3/devices", token: alice.token)
            #expect(devices.json["devices"]?.arrayValue?.count == 1)
            #expect(try await client.login("alice", password: "new-pw").status == 200)
            #expect(try await client.login("alice", password: alice.password).status == 403)
        }
    }

    @Test func logoutDevicesFalseKeepsOtherSessions() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            let done = try await client.call(
                .post, "/_matrix/client/v3/account/password",
                ["new_password": "new-pw", "logout_devices": false, "auth": AccountClient.passwordAuth(alice)], token: alice.token
            )
            #expect(done.status == 200, "\(done)")
            #expect(try await client.whoami(other.token).status == 200)
        }
    }

    @Test func uiaProtectsAgainstAnotherUsersPasswordAndSession() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let bob = try await client.register("bob")
            let asBob = try await client.call(
                .post, "/_matrix/client/v3/account/password", ["new_password": "x", "auth": AccountClient.passwordAuth(bob)], token: alice.token
            )
            #expect(asBob.status == 401, "another user's password is never checked, and fails as a wrong one: \(asBob)")
            #expect(asBob.errcode == "M_FORBIDDEN")
            let bobs = try await client.call(.post, "/_matrix/client/v3/account/password", ["new_password": "x"], token: bob.token)
            let bobSession = try #require(bobs.json["session"]?.stringValue)
            let hijack = try await client.call(
                .post, "/_matrix/client/v3/account/password", ["auth": AccountClient.passwordAuth(alice, uiaSession: bobSession)], token: alice.token
            )
            #expect(hijack.status == 403, "\(hijack)")
            let deactivateWithPasswordSession = try await client.call(
                .post, "/_matrix/client/v3/account/deactivate", ["auth": AccountClient.passwordAuth(bob, uiaSession: bobSession)], token: bob.token
            )
            #expect(deactivateWithPasswordSession.status == 403, "a session serves one operation")
            #expect(deactivateWithPasswordSession.errcode == "M_FORBIDDEN")
            #expect(try await client.login("bob", password: bob.password).status == 200)
        }
    }

    @Test func deactivationIsPermanentAndTheNameStaysTaken() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            let challenge = try await client.call(.post, "/_matrix/client/v3/account/deactivate", [:], token: alice.token)
            #expect(challenge.status == 401)
            let session = try #require(challenge.json["session"]?.stringValue)
            let done = try await client.call(
                .post, "/_matrix/client/v3/account/deactivate", ["auth": AccountClient.passwordAuth(alice, uiaSession: session)], token: alice.token
            )
            #expect(done.json == ["id_server_unbind_result": "success"])
            #expect(try await client.whoami(alice.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.whoami(other.token).errcode == "M_UNKNOWN_TOKEN")
            #expect(try await client.login("alice", password: alice.password).status == 403)
            let again = try await client.call(.post, "/_matrix/client/v3/register", ["username": "alice", "password": "pw", "auth": ["type": "m.login.dummy"]])
            #expect(again.errcode == "M_USER_IN_USE")
        }
    }

    @Test func whoamiAndThirdPartyIdentifiers() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice")
            #expect(try await client.whoami(alice.token).json == ["user_id": "@alice:axon.test", "device_id": .string(alice.deviceID), "is_guest": false])
            #expect(try await client.call(.get, "/_matrix/client/r0/account/3pid", token: alice.token).json == ["threepids": []])
        }
    }
}
