import HTTPTypes
import MatrixTypes
import Testing

/// `rc_login` (address, account, failed attempts) and `rc_registration` answer `M_LIMIT_EXCEEDED`.
@Suite struct AccountRateLimitTests {
    static func limit(burst: Int) -> String { "{per_second: 0.001, burst_count: \(burst)}" }

    static func expectLimited(_ reply: AccountClient.Reply, _ comment: Comment) {
        #expect(reply.status == 429, comment)
        #expect(reply.errcode == "M_LIMIT_EXCEEDED", comment)
        #expect((reply.json["retry_after_ms"]?.integerValue ?? 0) > 0, comment)
    }

    @Test func loginAttemptsPerAddress() async throws {
        try await AccountTestServer.run(["rc_login": "{address: \(Self.limit(burst: 3))}"]) { client in
            for _ in 0..<3 { #expect(try await client.login("nobody", password: "x").status == 403) }
            Self.expectLimited(try await client.login("nobody", password: "x"), "the fourth attempt from one address")
        }
    }

    @Test func failedAttemptsPerAccount() async throws {
        try await AccountTestServer.run(["rc_login": "{address: \(Self.limit(burst: 100)), account: \(Self.limit(burst: 100)), failed_attempts: \(Self.limit(burst: 2))}"]) { client in
            let alice = try await client.register("alice")
            for _ in 0..<2 { #expect(try await client.login("alice", password: "wrong").status == 403) }
            Self.expectLimited(try await client.login("alice", password: alice.password), "even the right password, after two failures")
            #expect(try await client.login("bob", password: "wrong").status == 403, "other accounts are unaffected")
        }
    }

    @Test func successfulLoginsPerAccount() async throws {
        try await AccountTestServer.run(["rc_login": "{address: \(Self.limit(burst: 100)), account: \(Self.limit(burst: 2))}"]) { client in
            let alice = try await client.register("alice")
            for _ in 0..<2 { #expect(try await client.login("alice", password: alice.password).status == 200) }
            Self.expectLimited(try await client.login("alice", password: alice.password), "the third login of one account")
        }
    }

    /// Each registration takes two requests (the challenge, then the dummy stage), and each request counts.
    @Test func registrationsPerAddress() async throws {
        try await AccountTestServer.run(["rc_registration": Self.limit(burst: 4)]) { client in
            try await client.register("alice")
            try await client.register("bob")
            let third = try await client.call(.post, "/_matrix/client/v3/register", ["username": "carol", "password": "pw", "auth": ["type": "m.login.dummy"]])
            Self.expectLimited(third, "a third account from one address")
        }
    }
}
