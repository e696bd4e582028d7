import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// `/preview_url` through a running Axon: a page on 127.0.0.2 (whitelisted out of a blacklisted 127.0.0.0/8) is
/// previewed with its OpenGraph image kept as media of this server, while a redirect to 127.0.0.1 and a name that
/// resolves to loopback are refused without any connection to the blacklisted address.
@Suite struct URLPreviewServerTests {
    @Test func previewsComeFromAllowedAddressesOnlyAndTheirImagesAreMedia() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        let trap = try await LoopbackSite(host: "127.0.0.1")
        trap.serve("/secret", .html("<title>internal</title>"))
        let image = try [UInt8](Data(contentsOf: TestEnvironment.packageRoot.appendingPathComponent("Tests/ThumbnailsTests/Fixtures/wide-1000x500.jpg")))
        site.serve("/cat.jpg", LoopbackSite.Page(headers: [("Content-Type", "image/jpeg")], body: image))
        site.serve("/page", .html("""
            <html><head><title>Fallback</title>
            <meta property="og:title" content="A cat" /><meta property="og:description" content="On a mat" />
            <meta property="og:image" content="\(site.url("/cat.jpg"))" /></head><body></body></html>
            """))
        site.serve("/away", .redirect(to: trap.url("/secret")))

        let fixture = try await AccountServerFixture.make(extra: """
            url_preview_enabled: true
            url_preview_ip_range_blacklist: ['127.0.0.0/8', '::1/128', '10.0.0.0/8', '169.254.0.0/16', 'fc00::/7']
            url_preview_ip_range_whitelist: ['127.0.0.2/32']
            """)
        let server = try await fixture.start()
        try await server.whileRunning {
            let user = try await SuiteClient.register(fixture.baseURL, prefix: "preview", recordSecrets: true)
            let preview = try await user.media("GET", "/_matrix/client/v1/media/preview_url?url=\(SuiteClient.escape(site.url("/page")))")
            let og = preview.json ?? .null
            #expect(preview.status == 200 && og["og:title"] == "A cat" && og["og:description"] == "On a mat", "\(preview.status) \(og)")
            #expect(og["og:image:width"] == 1000 && og["og:image:height"] == 500 && og["matrix:image:size"] == .integer(Int64(image.count)), "\(og)")
            let uri = try #require(og["og:image"]?.stringValue, "\(og)")
            #expect(uri.hasPrefix("mxc://accounts.test/"))
            let stored = try await user.media("GET", "/_matrix/client/v1/media/download/\(uri.dropFirst("mxc://".count))")
            #expect(stored.status == 200 && stored.body == image, "the image is served as media of this server")
            let thumbnail = try await user.media("GET", "/_matrix/client/v1/media/thumbnail/\(uri.dropFirst("mxc://".count))?width=96&height=96&method=crop")
            #expect(thumbnail.status == 200 && thumbnail.header("Content-Type") == "image/jpeg", "\(thumbnail.status)")

            let redirected = try await user.media("GET", "/_matrix/client/v1/media/preview_url?url=\(SuiteClient.escape(site.url("/away")))")
            #expect(redirected.status == 403, "\(redirected.status) \(redirected.json ?? .null)")
            let named = try await user.media("GET", "/_matrix/client/v1/media/preview_url?url=\(SuiteClient.escape("http://localhost:\(trap.port)/secret"))")
            // As Synapse: a name whose every address is blocked reads as one that does not resolve.
            #expect(named.status == 502 && named.json?["error"]?.stringValue?.contains("DNS") == true, "\(named.status) \(named.json ?? .null)")
            #expect(trap.connections == 0, "nothing connected to the blacklisted address")
            let anonymous = try await user.media("GET", "/_matrix/client/v1/media/preview_url?url=\(SuiteClient.escape(site.url("/page")))", authenticated: false)
            #expect(anonymous.status == 401)
        }
    }
}
