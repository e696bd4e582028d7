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
            await #expect(throws: SharedSecretError.disabled) {
                try await services.sharedSecret.register(Fixture.sharedSecretRequest(nonce: nonce, username: "x", password: "pw"))
            }
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
