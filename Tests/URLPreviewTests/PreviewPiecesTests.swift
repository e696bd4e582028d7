import MatrixTypes
import Testing

@testable import URLPreview

/// The parts a preview is made of, against the answers Python's `urlsplit`/`urljoin`/`fnmatch` and Synapse's
/// helpers give for the same input.
@Suite struct PreviewPiecesTests {
    @Test func urlAttributesAreThoseOfPythonsURLSplit() throws {
        let url = try #require(PreviewURL("HTTPS://User:Pa%3Ass@Example.COM:8443/a/b;p=1?q=2&r#frag"))
        #expect(url.attribute("scheme") == "https")
        #expect(url.attribute("netloc") == "User:Pa%3Ass@Example.COM:8443")
        #expect(url.attribute("path") == "/a/b;p=1")
        #expect(url.attribute("params") == "p=1")
        #expect(url.attribute("query") == "q=2&r")
        #expect(url.attribute("fragment") == "frag")
        #expect(url.attribute("username") == "User")
        #expect(url.attribute("password") == "Pa%3Ass")
        #expect(url.attribute("hostname") == "example.com")
        #expect(url.attribute("port") == "8443")
        #expect(url.target == "/a/b;p=1?q=2&r")
        #expect(url.hostHeader == "example.com:8443")

        let bare = try #require(PreviewURL("http://[::1]"))
        #expect(bare.host == "::1")
        #expect(bare.port == 80)
        #expect(bare.attribute("port") == nil)
        #expect(bare.attribute("username") == nil)
        #expect(bare.attribute("query") == "")
        #expect(bare.target == "/")
        #expect(bare.hostHeader == "[::1]")
    }

    @Test func referencesResolveAsURLJoinResolvesThem() throws {
        let base = try #require(PreviewURL("http://example.com/a/b/c?x=1#f"))
        let cases: [(String, String)] = [
            ("d", "http://example.com/a/b/d"), ("../d", "http://example.com/a/d"), ("/d/./e/../f", "http://example.com/d/f"),
            ("?y=2", "http://example.com/a/b/c?y=2"), ("#g", "http://example.com/a/b/c?x=1#g"), ("//other.org/p", "http://other.org/p"),
            ("https://secure.org", "https://secure.org"), (" /spaced ", "http://example.com/spaced"), ("../../../../up", "http://example.com/up"),
        ]
        for (reference, expected) in cases {
            #expect(base.resolving(reference)?.description == expected, "\(reference)")
        }
        #expect(base.resolving("javascript:alert(1)") == nil)
        #expect(base.resolving("data:image/png;base64,AAAA") == nil)
    }

    @Test func requestTargetsCarryOnlyPrintableASCII() throws {
        let url = try #require(PreviewURL("http://example.com/caf\u{E9} menu?q=\"x\""))
        #expect(url.target == "/caf%C3%A9%20menu?q=%22x%22")
    }

    @Test func globsAndRegexesMatchAsFnmatchAndReMatch() {
        #expect(URLBlacklist.matches("example.com", pattern: "*.com"))
        #expect(!URLBlacklist.matches("example.com.evil", pattern: "*.com"))
        #expect(URLBlacklist.matches("a.b", pattern: "a?b"))
        #expect(URLBlacklist.matches("x1", pattern: "x[0-9]"))
        #expect(!URLBlacklist.matches("xa", pattern: "x[!a-z]"))
        #expect(URLBlacklist.matches("/secret/more", pattern: "^/secret"))
        #expect(!URLBlacklist.matches("/public/secret", pattern: "^/secret"))
        #expect(URLBlacklist.matches("anything", pattern: "^(unclosed"))
        let blacklist = URLBlacklist(entries: [["hostname": "*.example.com", "port": "8080"]])
        #expect(blacklist.blocks(PreviewURL("http://www.example.com:8080/")!))
        #expect(!blacklist.blocks(PreviewURL("http://www.example.com/")!))
        #expect(!blacklist.blocks(PreviewURL("http://example.org:8080/")!))
    }

    @Test func oEmbedSchemesMatchAsSynapseCompilesThem() {
        let providers = OEmbedProviders([
            OEmbedEndpoint(url: "https://publish.x.com/oembed", schemes: ["https://x.com/*/status/*", "https://*.x.com/*/status/*"]),
            OEmbedEndpoint(url: "https://xml.example/oembed.xml", schemes: ["https://xml.example/*"]),
            OEmbedEndpoint(url: "https://v.example/oembed", schemes: ["https://v.example/*"], formats: ["xml"]),
        ])
        #expect(providers.apiURL(for: "https://x.com/someone/status/1") == "https://publish.x.com/oembed?url=https%3A%2F%2Fx.com%2Fsomeone%2Fstatus%2F1&format=json")
        #expect(providers.apiURL(for: "https://mobile.x.com/a/status/2") != nil)
        #expect(providers.apiURL(for: "https://evil.com/x.com/a/status/2") == nil)
        #expect(providers.apiURL(for: "https://a.b.x.com/a/status/2") == nil)
        #expect(providers.apiURL(for: "http://x.com/a/status/2") == nil)
        #expect(providers.apiURL(for: "https://xml.example/page") == nil)
        #expect(providers.apiURL(for: "https://v.example/page") == nil)
    }

    @Test func charsetsAreTriedInSynapsesOrder() {
        let meta = Array("<html><meta charset=\"ISO-8859-2\">".utf8)
        #expect(HTMLCharset.candidates(meta, contentType: "text/html; charset=koi8-r") == ["iso-8859-2", "koi8-r", "utf-8", "cp1252"])
        let xml = Array("<?xml version=\"1.0\" encoding=\"UTF-16\"?><html>".utf8)
        #expect(HTMLCharset.candidates(xml, contentType: nil) == ["utf-16", "utf-8", "cp1252"])
        #expect(HTMLCharset.candidates([], contentType: "text/html; charset=\"utf-8\"") == ["utf-8", "cp1252"])
        #expect(HTMLCharset.decode([0x41, 0xE9], from: "utf-8") == nil)
        #expect(HTMLCharset.decode([0x41, 0xE9], from: "no-such-charset") == nil)
        #expect(HTMLCharset.decode([0x41, 0xE9], from: "iso-8859-1") == Array("Aé".utf8))
    }

    @Test func summariesKeepParagraphsThenCutAtAWord() {
        #expect(OpenGraph.summary(of: ["  One  ", "", "Two\nlines"]) == "One\n\nTwo lines")
        #expect(OpenGraph.summary(of: ["", " "]) == nil)
        let long = String(repeating: "abcdefghi ", count: 80)
        let summary = OpenGraph.summary(of: [long])
        #expect(summary == String(repeating: "abcdefghi ", count: 49) + "abcdefghi…")
    }

    @Test func overlongTagsArePruned() {
        var og = JSONObject()
        og["og:title"] = .string(String(repeating: "t", count: 1000))
        og["og:description"] = .string(String(repeating: "d", count: 1001))
        og["og:" + String(repeating: "k", count: 48)] = "x"
        og["og:image:width"] = 40
        let pruned = OpenGraph.pruned(og)
        #expect(pruned.keys.sorted() == ["og:image:width", "og:title"])
    }
}
