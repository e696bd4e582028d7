import Testing

@testable import AxonConfig

/// `presence: {enabled: …}`, with Synapse's older `use_presence` as the fallback.
@Suite struct PresenceConfigTests {
    @Test func presenceIsOnByDefaultAndTurnedOffBySynapsesKeys() throws {
        #expect(try load(minimalYAML).config.server.presenceEnabled)
        #expect(try !load(minimalYAML + "presence:\n  enabled: false\n").config.server.presenceEnabled)
        #expect(try !load(minimalYAML + "use_presence: false\n").config.server.presenceEnabled)
        #expect(try load(minimalYAML + "use_presence: false\npresence:\n  enabled: true\n").config.server.presenceEnabled)
        #expect(try !load(minimalYAML + "use_presence: false\npresence: {}\n").config.server.presenceEnabled)
    }
}
