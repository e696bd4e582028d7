import HTTPTypes
import MatrixTypes
import Testing

/// `rc_presence.per_user` bounds how often one user sets presence.
@Suite struct PresenceRateLimitTests {
    @Test func settingPresenceIsLimitedPerUser() async throws {
        try await AccountTestServer.run(["rc_presence": "{per_user: {per_second: 0.001, burst_count: 2}}"]) { client in
            let alice = try await client.register("presence-alice")
            let bob = try await client.register("presence-bob")
            func status(_ user: String) -> String { "/_matrix/client/v3/presence/\(AccountClient.queryEncoded(user))/status" }
            for _ in 0..<2 {
                #expect(try await client.call(.put, status(alice.userID), ["presence": "online"], token: alice.token).status == 200)
            }
            let refused = try await client.call(.put, status(alice.userID), ["presence": "online"], token: alice.token)
            #expect(refused.status == 429 && refused.errcode == "M_LIMIT_EXCEEDED", "\(refused)")
            #expect(try await client.call(.get, status(alice.userID), token: alice.token).status == 200, "reading is not limited")
            #expect(try await client.call(.put, status(bob.userID), ["presence": "online"], token: bob.token).status == 200, "buckets are per user")
        }
    }
}
