import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Testing

/// Nonces live in the database: single use, 60 seconds, shared by every process on it.
@Suite struct SharedSecretRegistrationTests {
    typealias Fixture = AccountServicesFixture

    @Test func aNonceRegistersOnceAndAdminsAreMarked() async throws {
        try await withEachDatabase { database in
            let services = Fixture.services(database)
            let nonce = try await services.sharedSecret.newNonce()
            #expect(nonce.count == 128 && nonce.allSatisfy(\.isHexDigit))
            let result = try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "Root", password: "pw", admin: true))
            #expect(result.userID.rawValue == "@root:example.org")
            #expect(result.session != nil)
            let admin: Bool = try await database.read { try $0.queryValue("SELECT is_admin FROM users WHERE user_id = '@root:example.org'") }
            #expect(admin)
            await #expect(throws: SharedSecretError.unrecognisedNonce) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "other", password: "pw"))
            }
        }
    }

    @Test func aWrongMACUsesUpTheNonce() async throws {
        try await withEachDatabase { database in
            let services = Fixture.services(database)
            let nonce = try await services.sharedSecret.newNonce()
            await #expect(throws: SharedSecretError.incorrectMAC) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "eve", password: "pw", secret: "guess"))
            }
            await #expect(throws: SharedSecretError.unrecognisedNonce) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "eve", password: "pw"))
            }
            #expect(try await database.read { try $0.queryValue("SELECT count(*) FROM users") as Int } == 0)
        }
    }

    @Test func noncesExpireAfterSixtySeconds() async throws {
        try await withEachDatabase { database in
            let clock = Fixture.ManualClock()
            let services = Fixture.services(database, clock: clock)
            let nonce = try await services.sharedSecret.newNonce()
            clock.advance(seconds: 61)
            await #expect(throws: SharedSecretError.unrecognisedNonce) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "late", password: "pw"))
            }
            let fresh = try await services.sharedSecret.newNonce()
            clock.advance(seconds: 59)
            #expect(try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: fresh, username: "ontime", password: "pw")).session != nil)
        }
    }

    @Test func aNonceFromOneProcessWorksOnAnother() async throws {
        try await withEachDatabase { database in
            let nonce = try await Fixture.services(database).sharedSecret.newNonce()
            let other = Fixture.services(database)
            #expect(try await other.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "shared", password: "pw")).userID.localpart == "shared")
        }
    }

    @Test func withoutASecretItIsDisabled() async throws {
        try await withSQLiteDatabase { database in
            let services = AccountServices(
                database: database,
                settings: AccountSettings(serverName: Fixture.serverName, passwordCost: PasswordCost(bcryptRounds: 4)),
                limits: AccountLimits(
                    registration: Fixture.NoLimit(), loginAccount: Fixture.NoLimit(), loginFailures: Fixture.NoLimit(),
                    reauthenticationFailures: Fixture.NoLimit()
                )
            )
            let nonce = try await services.sharedSecret.newNonce()
            #expect(nonce.count == 128, "the client contract holds even with no secret")
            #expect(try await database.read { try $0.queryValue("SELECT count(*) FROM registration_nonces") as Int } == 0, "a nonce that can never be used is not stored")
            await #expect(throws: SharedSecretError.disabled) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "x", password: "pw"))
            }
        }
    }

    /// Anyone may fetch nonces: past the cap the oldest go, so the table cannot grow with the request rate.
    @Test func unusedNoncesAreCapped() async throws {
        try await withEachDatabase { database in
            let clock = Fixture.ManualClock()
            let services = Fixture.services(database, clock: clock)
            let cap = 1000
            let first = try await services.sharedSecret.newNonce()
            clock.advance(seconds: 1)
            for _ in 0..<cap + 20 { _ = try await services.sharedSecret.newNonce() }
            clock.advance(seconds: 1)
            let newest = try await services.sharedSecret.newNonce()
            #expect(try await database.read { try $0.queryValue("SELECT count(*) FROM registration_nonces") as Int } == cap)
            await #expect(throws: SharedSecretError.unrecognisedNonce) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: first, username: "old", password: "pw"))
            }
            #expect(try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: newest, username: "new", password: "pw")).session != nil)
        }
    }

    /// Requests racing with one nonce: exactly one gets past the nonce check. Each request names its own user
    /// with a valid MAC, so a second one let through would create a second account.
    @Test func aNonceIsConsumedOnceUnderConcurrentUse() async throws {
        try await withEachDatabase(maxConnections: 16) { database in
            let services = Fixture.services(database)
            for round in 0..<8 {
                let nonce = try await services.sharedSecret.newNonce()
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for racer in 0..<16 {
                        group.addTask {
                            do {
                                _ = try await services.sharedSecret.register(
                                    Fixture.sharedSecretRequest(nonce: nonce, username: "racer\(round)x\(racer)", password: "pw")
                                )
                                return true
                            } catch SharedSecretError.unrecognisedNonce {
                                return false
                            }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 1, "round \(round)")
            }
            #expect(try await database.read { try $0.queryValue("SELECT count(*) FROM users") as Int } == 8)
        }
    }

    @Test func synapsesFieldChecks() async throws {
        try await withSQLiteDatabase { database in
            let services = Fixture.services(database)
            for (username, password, userType, error) in [
                (String(repeating: "u", count: 513), "pw", nil, SharedSecretError.invalidUsername),
                ("nul\0name", "pw", nil, .invalidUsername),
                ("name", "nul\0pw", nil, .invalidPassword),
                ("name", "pw", "wizard", .invalidUserType),
            ] as [(String, String, String?, SharedSecretError)] {
                var request = Fixture.sharedSecretRequest(nonce: try await services.sharedSecret.newNonce(), username: username, password: password)
                request.userType = userType
                await #expect(throws: error) { try await services.sharedSecret.register(request) }
            }
        }
    }
}
