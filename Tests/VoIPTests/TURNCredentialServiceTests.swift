import MatrixTypes
import Testing

@testable import VoIP

@Suite("TURN credentials as Synapse hands them out")
struct TURNCredentialServiceTests {
    static let uris = ["turn:turn.example.org?transport=udp", "turn:turn.example.org?transport=tcp"]

    static func settings(
        uris: [String] = uris, secret: String? = nil, username: String? = nil, password: String? = nil, lifetime: Int64 = 3_600_000
    ) -> TURNSettings {
        TURNSettings(uris: uris, sharedSecret: secret, username: username, password: password, lifetimeMilliseconds: lifetime, guestsAllowed: true)
    }

    /// The expected passwords were computed apart from this code, by Python's standard library:
    /// `base64.b64encode(hmac.new(secret, username, hashlib.sha1).digest())`.
    @Test func sharedSecretGivesTheTURNRESTAPICredentials() throws {
        // 1699996400000 ms plus an hour is 1700000000 s.
        let service = TURNCredentialService(settings: Self.settings(secret: "secret"), clock: { 1_699_996_400_000 })
        let credentials = try #require(service.credentials(for: try UserID("@a:b")))
        #expect(credentials == TURNCredentials(username: "1700000000:@a:b", password: "rdgio/2X2TM/Vu35wCFc+1QTCic=", uris: Self.uris, ttl: 3600))
    }

    @Test func theExpiryIsRoundedDownToASecondAndTheTTLTooAsInSynapse() throws {
        let service = TURNCredentialService(settings: Self.settings(secret: "turn secret", lifetime: 86_400_999), clock: { 1_700_000_000_999 })
        let credentials = try #require(service.credentials(for: try UserID("@alice:example.org")))
        // (1700000000999 + 86400999) / 1000 = 1700086401.998
        #expect(credentials.username == "1700086401:@alice:example.org")
        #expect(credentials.password == "vHZZXp2fPYzvUzWU/q0k1Zx4Pd0=")
        #expect(credentials.ttl == 86_400)
    }

    @Test func aPasswordWithPaddingKeepsIt() {
        // Any HMAC-SHA1 is 20 bytes, so its base64 always ends in one `=`; nothing is dropped or made URL-safe.
        let password = TURNCredentialService.password(username: "1700000000:@bob:b", secret: "s3cret")
        #expect(password == "9174XZuT+KI+WA7sb13T6c6/Rtc=")
        #expect(password.count == 28 && password.hasSuffix("="))
    }

    @Test func staticCredentialsAreHandedOutAsConfigured() throws {
        let service = TURNCredentialService(settings: Self.settings(username: "turnuser", password: "turnpass", lifetime: 1_500))
        let credentials = try #require(service.credentials(for: try UserID("@a:b")))
        #expect(credentials == TURNCredentials(username: "turnuser", password: "turnpass", uris: Self.uris, ttl: 1))
    }

    @Test func aSharedSecretWinsOverStaticCredentials() throws {
        let service = TURNCredentialService(
            settings: Self.settings(secret: "secret", username: "turnuser", password: "turnpass"), clock: { 1_699_996_400_000 }
        )
        #expect(service.credentials(for: try UserID("@a:b"))?.password == "rdgio/2X2TM/Vu35wCFc+1QTCic=")
    }

    @Test func anEmptySecretFallsBackToStaticCredentials() throws {
        let service = TURNCredentialService(settings: Self.settings(secret: "", username: "turnuser", password: "turnpass"))
        #expect(service.credentials(for: try UserID("@a:b"))?.username == "turnuser")
    }

    static let unconfigured = [
        settings(uris: [], secret: "secret"),
        settings(uris: [], username: "u", password: "p"),
        settings(),
        settings(username: "u"),
        settings(password: "p"),
        settings(username: "", password: "p"),
        settings(username: "u", password: ""),
        settings(secret: ""),
        settings(secret: "secret", lifetime: 0),
        settings(username: "u", password: "p", lifetime: 0),
        TURNSettings.none,
    ]

    @Test(arguments: TURNCredentialServiceTests.unconfigured)
    func nothingIsHandedOutWithoutURIsCredentialsOrALifetime(_ settings: TURNSettings) throws {
        #expect(TURNCredentialService(settings: settings).credentials(for: try UserID("@a:b")) == nil, "\(settings)")
    }

    @Test func anEnormousLifetimeDoesNotOverflow() throws {
        let service = TURNCredentialService(settings: Self.settings(secret: "secret", lifetime: .max), clock: { 1_700_000_000_000 })
        #expect(service.credentials(for: try UserID("@a:b"))?.username == "\(Int64.max / 1000):@a:b")
    }

    @Test func theSystemClockGivesAnExpiryALifetimeAhead() throws {
        let before = currentMilliseconds() / 1000
        let credentials = try #require(TURNCredentialService(settings: Self.settings(secret: "secret")).credentials(for: try UserID("@a:b")))
        let after = currentMilliseconds() / 1000
        let expiry = try #require(Int64(credentials.username.prefix { $0 != ":" }))
        #expect((before + 3600)...(after + 3600) ~= expiry)
    }

    @Test func printingTheSettingsHidesTheSecretAndThePassword() {
        for settings in [Self.settings(secret: "hidden-turn-secret"), Self.settings(username: "turnuser", password: "hidden-turn-password")] {
            var dumped = ""
            dump(settings, to: &dumped)
            for text in [String(describing: settings), String(reflecting: settings), "\(settings)", dumped] {
                #expect(!text.contains("hidden-turn"), "\(text)")
                #expect(text.contains("turn.example.org"))
            }
        }
    }
}
