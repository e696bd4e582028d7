import Foundation
import Testing

@testable import AxonConfig

@Suite("oembed: Synapse's default providers and additional providers.json files")
struct OEmbedConfigTests {
    func providersFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("providers-\(UInt64.random(in: 0...UInt64.max)).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theDefaultProvidersApplyUnlessDisabled() throws {
        #expect(try load(minimalYAML).config.urlPreview.oembed.endpoints == OEmbedConfig.defaultEndpoints)
        #expect(OEmbedConfig.defaultEndpoints.map(\.url) == ["https://publish.x.com/oembed", "https://www.youtube.com/oembed"])
        #expect(try load(minimalYAML + "oembed: {disable_default_providers: true}").config.urlPreview.oembed.endpoints.isEmpty)
    }

    @Test func additionalProvidersAreReadAfterTheDefaults() throws {
        let path = try providersFile("""
            [{"provider_name": "Tube", "provider_url": "https://tube.example/", "endpoints": [
              {"schemes": ["https://tube.example/watch/*"], "url": "https://tube.example/oembed.{format}", "formats": ["json"], "discovery": true}]}]
            """)
        let endpoints = try load(minimalYAML + "oembed:\n  additional_providers: [\(path)]\n").config.urlPreview.oembed.endpoints
        #expect(endpoints.count == 3)
        #expect(endpoints.last == OEmbedConfig.Endpoint(url: "https://tube.example/oembed.{format}", schemes: ["https://tube.example/watch/*"], formats: ["json"]))
    }

    @Test func aMissingOrMalformedProvidersFileIsAnError() throws {
        let insecure = try providersFile("""
            [{"provider_name": "Bad", "provider_url": "x", "endpoints": [{"schemes": ["ftp://bad.example/*"], "url": "https://bad.example/oembed"}]}]
            """)
        for path in ["/nonexistent/providers.json", insecure, try providersFile("{\"not\": \"a list\"}")] {
            let found = errors(minimalYAML + "oembed: {additional_providers: [\(path)]}\n").map(\.description)
            #expect(found.count == 1 && found[0].hasPrefix("oembed.additional_providers[0]:"), "\(found)")
        }
    }
}
