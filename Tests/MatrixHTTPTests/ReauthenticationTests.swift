import HTTPTypes
import MatrixTypes
import Testing

/// Re-authentication (password change, deactivation, device deletion) checks only the requester's own
/// password, and counts failures against that account.
@Suite struct ReauthenticationTests {
    /// Naming someone else, with their right password or a wrong one, fails exactly as a wrong password for
    /// oneself does: a token cannot be used to test other accounts' passwords.
    @Test func namingAnotherUserFailsExactlyAsAWrongPassword() async throws {
        try await AccountTestServer.run { client in
            let mallory = try await client.register("mallory")
            let bob = try await client.register("bob", password: "bob's real password")
            var replies: [AccountClient.Reply] = []
            for auth in [
                AccountClient.passwordAuth(bob), AccountClient.passwordAuth(bob, password: "a wrong guess"),
                AccountClient.passwordAuth(mallory, password: "a wrong guess"),
            ] {
                let first = try await client.call(.post, "/_matrix/client/v3/delete_devices", ["devices": []], token: mallory.token)
                let session = try #require(first.json["session"]?.stringValue)
                var withSession = auth
                withSession["session"] = .string(session)
                replies.append(try await client.call(
                    .post, "/_matrix/client/v3/delete_devices", ["devices": [], "auth": withSession], token: mallory.token
                ))
            }
            for reply in replies {
                #expect(reply.status == 401, "\(reply)")
                #expect(reply.errcode == "M_FORBIDDEN")
                #expect(reply.json["error"] == replies[2].json["error"])
                #expect(reply.json["completed"] == [])
            }
            #expect(try await client.login("bob", password: bob.password).status == 200)
        }
    }

    /// `rc_login.failed_attempts` applies to re-authentication per account, before the password is checked.
    @Test func failuresAreLimitedPerAccount() async throws {
        let limits = "{address: \(AccountRateLimitTests.limit(burst: 100)), account: \(AccountRateLimitTests.limit(burst: 100)), failed_attempts: \(AccountRateLimitTests.limit(burst: 2))}"
        try await AccountTestServer.run(["rc_login": limits]) { client in
            let alice = try await client.register("alice")
            let other = try await client.loggedIn(alice)
            for _ in 0..<2 {
                let reply = try await client.call(
                    .post, "/_matrix/client/v3/account/deactivate", ["auth": AccountClient.passwordAuth(alice, password: "wrong")], token: alice.token
                )
                #expect(reply.status == 401)
            }
            let right = try await client.call(
                .post, "/_matrix/client/v3/account/deactivate", ["auth": AccountClient.passwordAuth(alice)], token: other.token
            )
            AccountRateLimitTests.expectLimited(right, "even the right password, from another device, after two failures")
            #expect(try await client.whoami(alice.token).status == 200, "nothing was deactivated")
        }
    }
}
