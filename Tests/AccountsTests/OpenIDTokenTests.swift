import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Testing

/// OpenID tokens: issued only for oneself, known to userinfo for an hour, bounded per user, and revoked with the
/// account; deactivating with `erase` marks the user erased.
@Suite struct OpenIDTokenTests {
    typealias Fixture = AccountServicesFixture

    @Test func aTokenNamesItsUserForAnHourAndOnlyTheUserMayAskForOne() async throws {
        try await withEachDatabase { database in
            let clock = Fixture.ManualClock()
            let services = Fixture.services(database, clock: clock)
            let alice = try await requester(services, "alice")
            let bob = try await requester(services, "bob")
            let issued = try await services.openID.issue(for: alice.userID, requester: alice)
            #expect(issued.expiresInSeconds == 3600 && issued.serverName == Fixture.serverName)
            #expect(try await services.openID.userID(forToken: issued.token) == alice.userID)
            #expect(try await services.openID.userID(forToken: "unknown") == nil)
            #expect(try await services.tokens.requester(forAccessToken: issued.token) == nil, "an OpenID token is no access token")
            await #expect(throws: OpenIDError.otherUser) { try await services.openID.issue(for: alice.userID, requester: bob) }
            clock.advance(seconds: 3599)
            #expect(try await services.openID.userID(forToken: issued.token) == alice.userID)
            clock.advance(seconds: 1)
            #expect(try await services.openID.userID(forToken: issued.token) == nil, "expired after exactly an hour")
        }
    }

    @Test func aUserKeepsAtMostAHundredLiveTokensAndExpiredOnesArePurged() async throws {
        try await withEachDatabase { database in
            let clock = Fixture.ManualClock()
            let services = Fixture.services(database, clock: clock)
            let alice = try await requester(services, "alice")
            let bob = try await requester(services, "bob")
            _ = try await services.openID.issue(for: bob.userID, requester: bob)
            clock.advance(seconds: 3600)
            var tokens: [String] = []
            for _ in 0..<101 {
                tokens.append(try await services.openID.issue(for: alice.userID, requester: alice).token)
                clock.advance(seconds: 1)
            }
            #expect(try await services.openID.userID(forToken: tokens[0]) == nil, "the 101st token dropped the one expiring soonest")
            #expect(try await services.openID.userID(forToken: tokens[1]) == alice.userID)
            #expect(try await services.openID.userID(forToken: tokens[100]) == alice.userID)
            let rows = try await database.read { connection in
                try connection.queryValue("SELECT COUNT(*) FROM open_id_tokens", as: Int64.self)
            }
            #expect(rows == 100, "bob's expired token was purged and alice keeps 100")
        }
    }

    @Test func deactivationRevokesOpenIDTokensAndEraseMarksTheUserErased() async throws {
        try await withEachDatabase { database in
            let services = Fixture.services(database)
            let erased = try await requester(services, "alice")
            let kept = try await requester(services, "bob")
            let token = try await services.openID.issue(for: erased.userID, requester: erased).token
            try await deactivate(services, erased, erase: true)
            try await deactivate(services, kept, erase: false)
            #expect(try await services.openID.userID(forToken: token) == nil)
            let marked = try await ErasedUsers(database: database).among([erased.userID, kept.userID])
            #expect(marked == [erased.userID])
        }
    }

    private func deactivate(_ services: AccountServices, _ requester: Requester, erase: Bool) async throws {
        var session = ""
        do {
            try await services.account.deactivate(UIASubmission(body: ["erase": .bool(erase)]), requester: requester)
        } catch UIAError.incomplete(let challenge) {
            session = challenge.session
        }
        let auth: JSONValue = [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(requester.userID.rawValue)],
            "password": "pw", "session": .string(session),
        ]
        try await services.account.deactivate(UIASubmission(body: ["erase": .bool(erase), "auth": auth]), requester: requester)
    }

    private func requester(_ services: AccountServices, _ username: String) async throws -> Requester {
        let nonce = try await services.sharedSecret.newNonce()
        let result = try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: username, password: "pw"))
        let token = try #require(result.session?.accessToken)
        return try #require(try await services.tokens.requester(forAccessToken: token))
    }
}
