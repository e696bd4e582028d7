import AxonTesting
import HTTPTypes
import MatrixTypes
import Storage
import Testing

/// `/register` needs no token, so nothing it does may be free: it checks only the stages it offers, every
/// request costs `rc_registration`, and a session keeps a bounded amount.
@Suite struct RegistrationAbuseTests {
    /// Registration offers only `m.login.dummy`; a password stage there would tell a right password from a
    /// wrong one for any existing account, with no failed-attempt limit.
    @Test func aPasswordStageIsRefusedWithoutBeingChecked() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("alice", password: "alice's real password")
            var replies: [AccountClient.Reply] = []
            for password in [alice.password, "a wrong guess"] {
                let first = try await client.call(.post, "/_matrix/client/v3/register", ["username": "mallory", "password": "pw"])
                let session = try #require(first.json["session"]?.stringValue)
                replies.append(try await client.call(
                    .post, "/_matrix/client/v3/register",
                    ["auth": AccountClient.passwordAuth(alice, password: password, uiaSession: session)]
                ))
            }
            for reply in replies {
                #expect(reply.status == 400, "\(reply)")
                #expect(reply.errcode == "M_UNKNOWN")
                #expect(reply.json["completed"] == nil)
            }
            #expect(replies[0].json == replies[1].json, "the right password and a wrong one get the same answer")
        }
    }

    /// Each request may start a session row, so each one counts, not only those that create an account.
    @Test func everyRequestCountsAgainstTheRegistrationLimit() async throws {
        try await AccountTestServer.run(["rc_registration": AccountRateLimitTests.limit(burst: 3)]) { client in
            for attempt in 0..<3 {
                let reply = try await client.call(.post, "/_matrix/client/v3/register", ["username": "probe", "password": "pw"])
                #expect(reply.status == 401, "attempt \(attempt): \(reply)")
            }
            let fourth = try await client.call(.post, "/_matrix/client/v3/register", ["username": "probe", "password": "pw"])
            AccountRateLimitTests.expectLimited(fourth, "a fourth request, though no account was created")
            let sessions: Int = try await client.database.read { try $0.queryValue("SELECT count(*) FROM ui_auth_sessions") }
            #expect(sessions == 3)
        }
    }

    /// Availability checks need no token and tell taken names from free ones, so each address gets few, as in Synapse.
    @Test func availabilityChecksAreLimitedPerAddress() async throws {
        try await AccountTestServer.run { client in
            for index in 1...10 {
                #expect(try await client.call(.get, "/_matrix/client/v3/register/available?username=name\(index)").status == 200)
            }
            // The bucket refills one check every two seconds, so however slowly a loaded machine sends them, far
            // fewer than 30 more get through.
            var limited: AccountClient.Reply?
            for index in 11...40 where limited == nil {
                let reply = try await client.call(.get, "/_matrix/client/r0/register/available?username=name\(index)")
                if reply.status != 200 { limited = reply }
            }
            AccountRateLimitTests.expectLimited(try #require(limited), "checks beyond the burst, under either prefix")
        }
    }

    /// Parameters are kept for two days with no token needed, so their size is capped, on the first request of
    /// a session and on any later one.
    @Test func aSessionKeepsABoundedAmount() async throws {
        try await AccountTestServer.run { client in
            let padding = JSONValue.string(String(repeating: "x", count: 70 * 1024))
            let large = try await client.call(.post, "/_matrix/client/v3/register", ["username": "big", "password": "pw", "padding": padding])
            #expect(large.status == 413, "\(large)")
            #expect(large.errcode == "M_TOO_LARGE")
            #expect(try await client.database.read { try $0.queryValue("SELECT count(*) FROM ui_auth_sessions") as Int } == 0)
            let first = try await client.call(.post, "/_matrix/client/v3/register", ["username": "big", "password": "pw"])
            let session = try #require(first.json["session"]?.stringValue)
            let grown = try await client.call(
                .post, "/_matrix/client/v3/register", ["username": "big", "padding": padding, "auth": ["session": .string(session)]]
            )
            #expect(grown.errcode == "M_TOO_LARGE", "\(grown)")
            let stored: String = try await client.database.read { try $0.queryValue("SELECT params FROM ui_auth_sessions") }
            #expect(stored.utf8.count < 1024, "the session kept its small parameters")
        }
    }
}
