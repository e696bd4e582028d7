import Testing

@testable import AxonConfig

/// The `turn_*` keys with Synapse's names, defaults and duration syntax, and `rc_voip`.
@Suite struct VoIPConfigTests {
    @Test func staticCredentialsAndTheirPasswordStayHidden() throws {
        let loaded = try load(minimalYAML + """
            turn_uris: ["turn:turn.example.org"]
            turn_username: turnuser
            turn_password: "static-turn-password"
            """)
        #expect(loaded.warnings.isEmpty)
        let voip = loaded.config.voip
        #expect(voip.turnURIs == ["turn:turn.example.org"] && voip.turnSharedSecret == nil)
        #expect(voip.turnUsername == "turnuser" && voip.turnPassword?.revealed == "static-turn-password")
        var dumped = ""
        dump(voip, to: &dumped)
        for text in ["\(voip)", String(reflecting: voip), dumped] {
            #expect(!text.contains("static-turn-password") && text.contains("turnuser"), "\(text)")
        }
    }

    @Test func theSharedSecretCanComeFromAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("turn-secret", "  from-a-file\n")
        #expect(try load(minimalYAML + "turn_shared_secret_path: \(file)").config.voip.turnSharedSecret?.revealed == "from-a-file")
        let both = errors(minimalYAML + "turn_shared_secret: inline\nturn_shared_secret_path: \(file)")
        #expect(both.map(\.path) == ["turn_shared_secret_path"] && both.first?.message.contains("mutually incompatible") == true, "\(both)")
    }

    @Test(arguments: [("1h", 3_600_000), ("30m", 1_800_000), ("86400000", 86_400_000), ("\"2d\"", 172_800_000), ("0", 0)])
    func turnUserLifetimeTakesSynapseDurations(_ value: String, _ milliseconds: Int) throws {
        #expect(try load(minimalYAML + "turn_user_lifetime: \(value)").config.voip.turnUserLifetime == milliseconds)
    }

    @Test func badValuesAreErrorsAtTheirKey() {
        let found = errors(minimalYAML + """
            turn_uris: "turn:not-a-list"
            turn_user_lifetime: soon
            turn_allow_guests: maybe
            """)
        #expect(found.map(\.path).sorted() == ["turn_allow_guests", "turn_uris", "turn_user_lifetime"], "\(found)")
    }

    @Test func rcVoipDefaultsAndOverrides() throws {
        #expect(try load(minimalYAML).config.rateLimits.voip == RateLimit(perSecond: 10, burstCount: 100))
        let set = try load(minimalYAML + "rc_voip: {per_second: 0.5, burst_count: 3}")
        #expect(set.config.rateLimits.voip == RateLimit(perSecond: 0.5, burstCount: 3) && set.warnings.isEmpty)
    }
}
