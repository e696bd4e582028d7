import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Testing

/// What the database holds must never let someone who reads it log in or impersonate.
@Suite struct SecretStorageTests {
    typealias Fixture = AccountServicesFixture

    @Test func tokensAndPasswordsAreStoredOnlyHashed() async throws {
        try await withEachDatabase { database in
            let services = Fixture.services(database)
            let password = "a password nobody should read"
            let submission = UIASubmission(body: ["username": "alice", "password": .string(password)], passwordField: "password")
            let challenge = await #expect(throws: UIAError.self) { try await services.registration.register(submission, address: "10.0.0.1") }
            guard case .incomplete(let details) = challenge else { return }
            let result = try await services.registration.register(
                UIASubmission(body: ["auth": ["type": "m.login.dummy", "session": .string(details.session)]]), address: "10.0.0.1"
            )
            let token = try #require(result.session?.accessToken)
            let dump = try await TableSnapshot.take(database).tables.values.flatMap { $0 }.flatMap { $0 }.map(\.description).joined(separator: "\n")
            #expect(!dump.contains(password), "no table holds the password")
            #expect(!dump.contains(token.dropFirst(12).prefix(20)), "no table holds the token's secret part")
            #expect(dump.contains("$argon2id$"))
        }
    }

    @Test func uiaSessionsSurviveARestart() async throws {
        try await withEachDatabase { database in
            let submission = UIASubmission(body: ["username": "bob", "password": "pw"], passwordField: "password")
            let error = await #expect(throws: UIAError.self) { try await Fixture.services(database).registration.register(submission, address: "10.0.0.1") }
            guard case .incomplete(let challenge) = error else { return }
            let restarted = Fixture.services(database)
            let result = try await restarted.registration.register(
                UIASubmission(body: ["auth": ["type": "m.login.dummy", "session": .string(challenge.session)]]), address: "10.0.0.1"
            )
            #expect(result.userID.rawValue == "@bob:example.org")
        }
    }

    @Test func uiaSessionsExpireAfterTwoDays() async throws {
        try await withSQLiteDatabase { database in
            let clock = Fixture.ManualClock()
            let services = Fixture.services(database, clock: clock)
            let error = await #expect(throws: UIAError.self) {
                try await services.registration.register(UIASubmission(body: ["username": "carl", "password": "pw"], passwordField: "password"), address: "10.0.0.1")
            }
            guard case .incomplete(let challenge) = error else { return }
            clock.advance(seconds: 48 * 3600 + 1)
            await #expect(throws: UIAError.unknownSession(challenge.session)) {
                try await services.registration.register(
                    UIASubmission(body: ["auth": ["type": "m.login.dummy", "session": .string(challenge.session)]]), address: "10.0.0.1"
                )
            }
        }
    }
}
