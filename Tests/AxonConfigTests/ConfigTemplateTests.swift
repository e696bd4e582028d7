import Foundation
import Testing

@testable import AxonConfig

@Suite("Generated homeserver.yaml")
struct ConfigTemplateTests {
    @Test("the rendered file loads back with no warnings and the settings it describes")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let text = ConfigTemplate.render(serverName: "localhost:8008", dataDirectory: "\(directory.path)/data/")
        let file = try directory.write("homeserver.yaml", text)
        let loaded = try ConfigLoader.load(paths: [file])
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.notes.isEmpty)
        let config = loaded.config
        let data = "\(directory.path)/data"
        #expect(config.server.serverName == "localhost:8008")
        #expect(config.database == .sqlite(SQLiteConfig(path: "\(data)/homeserver.db")))
        #expect(config.media.storePath == "\(data)/media_store")
        #expect(config.keys.signingKeyPath == "\(data)/localhost:8008.signing.key")
        #expect(config.listeners == [
            ListenerConfig(
                address: .tcp(port: 8008, bindAddresses: ["127.0.0.1"]), xForwarded: true,
                resources: [ListenerConfig.Resource(names: [.client, .federation, .health])]
            )
        ])
        #expect(!config.registration.enableRegistration)
        let secret = try #require(config.registration.registrationSharedSecret?.revealed)
        #expect(secret.count >= 32)
        #expect(text.contains("# "), "the file is commented")
    }

    @Test("the commented TURN block loads once uncommented")
    func turnBlock() throws {
        let text = ConfigTemplate.render(serverName: "example.org", dataDirectory: "/var/lib/axon")
        #expect(try load(text).config.voip.turnURIs.isEmpty, "TURN stays off until the admin configures it")
        let enabled = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("#turn_") ? $0.dropFirst() : $0 }.joined(separator: "\n")
        let loaded = try load(enabled)
        #expect(loaded.warnings.isEmpty)
        #expect(loaded.config.voip.turnURIs == ["turn:turn.example.org?transport=udp", "turn:turn.example.org?transport=tcp"])
        #expect(loaded.config.voip.turnSharedSecret?.revealed == "the static-auth-secret of coturn")
        #expect(loaded.config.voip.turnUserLifetime == 3_600_000)
    }

    @Test("the setup guide's URL preview steps: enabled alone is refused, with the blacklist uncommented it loads")
    func urlPreviewBlock() throws {
        let text = ConfigTemplate.render(serverName: "example.org", dataDirectory: "/var/lib/axon")
        #expect(try !load(text).config.urlPreview.enabled)
        let enabled = text.replacingOccurrences(of: "url_preview_enabled: false", with: "url_preview_enabled: true")
        #expect(throws: (any Error).self) { try load(enabled) }
        let uncommented = enabled.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("#url_preview_ip_range_blacklist") || $0.hasPrefix("#  - '") ? $0.dropFirst() : $0 }.joined(separator: "\n")
        let loaded = try load(uncommented)
        #expect(loaded.warnings.isEmpty && loaded.config.urlPreview.enabled)
        #expect(loaded.config.urlPreview.ipRangeBlacklist.contains { $0.contains([127, 0, 0, 1]) })
        #expect(loaded.config.urlPreview.ipRangeBlacklist.contains { $0.contains([0xfc] + [UInt8](repeating: 0, count: 15)) })
    }

    @Test("each rendering gets a fresh secret; port and public_baseurl can be chosen")
    func options() throws {
        #expect(ConfigTemplate.randomSecret() != ConfigTemplate.randomSecret())
        let text = ConfigTemplate.render(
            serverName: "example.org", dataDirectory: "/var/lib/axon \"quoted\"", port: 18008,
            publicBaseURL: "http://localhost:18008/", registrationSharedSecret: "fixed"
        )
        let config = try load(text).config
        #expect(config.listeners.first?.port == 18008)
        #expect(config.server.publicBaseURL == "http://localhost:18008/" && config.server.servesClientWellKnown)
        #expect(config.registration.registrationSharedSecret?.revealed == "fixed")
        #expect(config.media.storePath == "/var/lib/axon \"quoted\"/media_store")
    }
}
