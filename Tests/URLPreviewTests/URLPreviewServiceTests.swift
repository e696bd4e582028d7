import AxonConfig
import AxonTesting
import Federation
import MatrixTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing
import URLPreview

/// Keeps what the previewer stored, as the media repository would, numbering the content URIs.
final class RecordingImageStorage: PreviewImageStorage {
    struct Stored: Sendable {
        var bytes: [UInt8]
        var contentType: String
        var uploadName: String?
        var user: UserID
    }

    private let stored = Mutex<[Stored]>([])

    var images: [Stored] { stored.withLock { $0 } }

    func store(_ bytes: ByteBuffer, contentType: String, uploadName: String?, for user: UserID) async throws -> StoredPreviewImage {
        let count = stored.withLock { images in
            images.append(Stored(bytes: Array(bytes.readableBytesView), contentType: contentType, uploadName: uploadName, user: user))
            return images.count
        }
        return StoredPreviewImage(uri: "mxc://axon.test/preview\(count)", width: 40 + count, height: 20 + count, size: bytes.readableBytes)
    }
}

/// Previews fetched from sites on loopback addresses, with the blacklist a real deployment uses and only 127.0.0.2
/// excepted: what a preview holds, and every way it must refuse to reach what the blacklist protects.
@Suite struct URLPreviewServiceTests {
    static let user = try! UserID("@alice:axon.test")
    static let blacklist = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "169.254.0.0/16", "fc00::/7", "192.168.0.0/16"]
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 100)

    /// The policy the configured ranges make, as the server builds it.
    static func policy() -> OutboundAddressPolicy {
        let blocked = (blacklist.compactMap(IPRange.init)) + IPRange.alwaysBlocked
        let allowed = [IPRange("127.0.0.2/32")!]
        return OutboundAddressPolicy { address in
            allowed.contains { $0.contains(address) } || !blocked.contains { $0.contains(address) }
        }
    }

    static func service(
        _ storage: RecordingImageStorage = RecordingImageStorage(), urlBlacklist: [[String: String]] = [], maxSpiderSize: Int = 1024 * 1024,
        oEmbed: [OEmbedEndpoint] = [], clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) throws -> URLPreviewService {
        let settings = URLPreviewSettings(
            addressPolicy: policy(), urlBlacklist: urlBlacklist, acceptLanguage: ["en-GB", "fr;q=0.8"], maxSpiderSize: maxSpiderSize,
            oEmbedEndpoints: oEmbed, timeout: .seconds(10)
        )
        return try URLPreviewService(settings: settings, images: storage, clock: clock)
    }

    @Test func openGraphTagsAreAnsweredAndTheImageStored() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/article", .html("""
            <html><head><title>Ignored title</title>
            <meta property="og:title" content="An &amp; article">
            <meta property="og:description" content="What it says">
            <meta property="og:image" content="/pictures/cat.png">
            <meta property="og:site_name" content="Example">
            </head><body><p>Body</p></body></html>
            """))
        site.serve("/pictures/cat.png", .init(headers: [("Content-Type", "image/png"), ("Content-Disposition", "inline; filename=\"cat.png\"")], body: Self.png))
        let storage = RecordingImageStorage()
        let og = try await Self.service(storage).preview(url: site.url("/article"), ts: nil, for: Self.user)

        #expect(og["og:title"] == "An & article")
        #expect(og["og:description"] == "What it says")
        #expect(og["og:site_name"] == "Example")
        #expect(og["og:image"] == "mxc://axon.test/preview1")
        #expect(og["og:image:type"] == "image/png")
        #expect(og["og:image:width"] == 41)
        #expect(og["og:image:height"] == 21)
        #expect(og["matrix:image:size"] == .integer(Int64(Self.png.count)))
        #expect(storage.images.map(\.bytes) == [Self.png])
        #expect(storage.images.first?.uploadName == "cat.png")
        #expect(storage.images.first?.user == Self.user)
        let headers = try #require(site.received.first?.headers)
        #expect(headers["Accept-Language"] == ["en-GB, fr;q=0.8"])
        #expect(headers["User-Agent"].first?.hasPrefix("Axon (bot;") == true)
    }

    @Test func titleDescriptionAndImageFallBackToThePage() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/plain", .html("""
            <html><head><title>  The page title </title><meta name="Description" content="Meta description"></head>
            <body><img src="data:image/png;base64,AAAA" width="500" height="500">
            <img src="small.png" width="5" height="5"><img src="big.png" width="300" height="200"><img src="wide.png" width="400" height="20">
            </body></html>
            """))
        site.serve("/big.png", .init(headers: [("Content-Type", "image/png")], body: Self.png))
        site.serve("/text", .html("""
            <html><head><title>Text</title><style>p { color: red }</style></head><body><nav>Menu entries</nav>
            <h1>Heading</h1><p>First paragraph   with  spaces.</p><script>var hidden = 1;</script><p>Second paragraph.</p></body></html>
            """))
        let storage = RecordingImageStorage()
        let service = try Self.service(storage)

        let plain = try await service.preview(url: site.url("/plain"), ts: nil, for: Self.user)
        #expect(plain["og:title"] == "The page title")
        #expect(plain["og:description"] == "Meta description")
        #expect(plain["og:image"] == "mxc://axon.test/preview1")
        #expect(site.requests("/big.png") == 1)
        #expect(site.requests("/wide.png") == 0)

        let text = try await service.preview(url: site.url("/text"), ts: nil, for: Self.user)
        #expect(text["og:title"] == "Text")
        #expect(text["og:description"] == "Heading\n\nFirst paragraph with spaces.\n\nSecond paragraph.")
        #expect(text["og:image"] == nil)
    }

    @Test func aLongDescriptionIsCutAtAWord() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        let words = (1...200).map { "word\($0)" }.joined(separator: " ")
        site.serve("/long", .html("<html><head><meta property=\"og:description\" content=\"\(words)\"></head></html>"))
        let og = try await Self.service().preview(url: site.url("/long"), ts: nil, for: Self.user)
        let description = try #require(og["og:description"]?.stringValue)
        #expect(description.hasSuffix("…"))
        #expect(description.unicodeScalars.count <= 501)
        #expect(words.hasPrefix(String(description.dropLast())))
        #expect(description.dropLast().hasSuffix(" ") == false)
    }

    @Test func aPageInWindows1252IsDecodedByItsMetaCharset() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        // "Café – naïve" in Windows-1252: é 0xE9, en dash 0x96, ï 0xEF.
        let title: [UInt8] = Array("Caf".utf8) + [0xE9, 0x20, 0x96, 0x20] + Array("na".utf8) + [0xEF] + Array("ve".utf8)
        let page = Array("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"><title>".utf8) + title
            + Array("</title></head></html>".utf8)
        site.serve("/cp1252", .init(headers: [("Content-Type", "text/html")], body: page))
        site.serve("/latin1", .init(headers: [("Content-Type", "text/html; charset=ISO-8859-1")], body: Array("<title>".utf8) + [0x47, 0xFC, 0x6E, 0x74, 0x68, 0x65, 0x72] + Array("</title>".utf8)))
        site.serve("/undeclared", .init(headers: [("Content-Type", "text/html")], body: Array("<title>".utf8) + [0x41, 0xE9] + Array("</title>".utf8)))
        let service = try Self.service()

        #expect(try await service.preview(url: site.url("/cp1252"), ts: nil, for: Self.user)["og:title"] == "Café – naïve")
        #expect(try await service.preview(url: site.url("/latin1"), ts: nil, for: Self.user)["og:title"] == "Günther")
        // Not UTF-8, so the last resort, Windows-1252.
        #expect(try await service.preview(url: site.url("/undeclared"), ts: nil, for: Self.user)["og:title"] == "Aé")
    }

    @Test func aRedirectToABlacklistedAddressIsRefusedWithoutConnecting() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        let inside = try await LoopbackSite(host: "127.0.0.1")
        inside.serve("/secret", .html("<title>Internal</title>"))
        site.serve("/hop", .redirect(to: "/jump"))
        site.serve("/jump", .redirect(to: inside.url("/secret")))
        let service = try Self.service()

        await #expect(throws: URLPreviewError.blockedAddress) {
            try await service.preview(url: site.url("/hop"), ts: nil, for: Self.user)
        }
        #expect(site.requests("/jump") == 1)
        #expect(inside.connections == 0)
    }

    @Test func aNameResolvingToABlacklistedAddressIsRefused() async throws {
        let inside = try await LoopbackSite(host: "127.0.0.1")
        inside.serve("/", .html("<title>Internal</title>"))
        let service = try Self.service()

        await #expect(throws: URLPreviewError.unresolvable) {
            try await service.preview(url: "http://localhost:\(inside.port)/", ts: nil, for: Self.user)
        }
        #expect(inside.connections == 0)
        let error = await #expect(throws: URLPreviewError.self) {
            try await service.preview(url: "http://localhost:\(inside.port)/", ts: nil, for: Self.user)
        }
        #expect(error?.clientError.status == 502)
    }

    @Test(arguments: [
        "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://[::1]/", "http://[fc00::1]:8080/", "http://[::ffff:127.0.0.1]/",
        "http://192.168.1.1/", "http://0.0.0.0/", "https://127.0.0.1:8448/",
    ])
    func blacklistedLiteralAddressesAreRefused(url: String) async throws {
        let error = await #expect(throws: URLPreviewError.blockedAddress) {
            try await Self.service().preview(url: url, ts: nil, for: Self.user)
        }
        #expect(error?.clientError.status == 403)
    }

    @Test(arguments: ["ftp://127.0.0.2/", "file:///etc/passwd", "not a url", "http:///nohost", "http://127.0.0.2:99999/", "javascript:alert(1)"])
    func urlsThatCannotBePreviewedAreRefused(url: String) async throws {
        let error = await #expect(throws: URLPreviewError.invalidURL) {
            try await Self.service().preview(url: url, ts: nil, for: Self.user)
        }
        #expect(error?.clientError.status == 400)
    }

    @Test func theURLBlacklistAppliesGlobsAndRegexesToEveryHop() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/open", .html("<title>Open</title>"))
        site.serve("/private/page", .html("<title>Private</title>"))
        site.serve("/secrets", .html("<title>Secret</title>"))
        site.serve("/to-secrets", .redirect(to: "/secrets"))
        let service = try Self.service(urlBlacklist: [
            ["netloc": "127.0.0.2:*", "path": "/private/*"],
            ["path": "^/secret"],
            ["scheme": "http", "hostname": "127.0.0.2", "query": "*token=*"],
        ])

        #expect(try await service.preview(url: site.url("/open"), ts: nil, for: Self.user)["og:title"] == "Open")
        #expect(try await service.preview(url: site.url("/open?page=2"), ts: nil, for: Self.user)["og:title"] == "Open")
        for blocked in ["/private/page", "/secrets", "/open?token=1", "/to-secrets"] {
            let error = await #expect(throws: URLPreviewError.blockedURL) {
                try await service.preview(url: site.url(blocked), ts: nil, for: Self.user)
            }
            #expect(error?.clientError.status == 403)
        }
        #expect(site.requests("/private/page") == 0)
        #expect(site.requests("/secrets") == 0)
        #expect(site.requests("/to-secrets") == 1)
    }

    @Test func aBodyOverMaxSpiderSizeIsRefused() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        let big = "<html><title>Big</title>" + String(repeating: "x", count: 5000) + "</html>"
        site.serve("/declared", .html(big))
        var chunked = LoopbackSite.Page.html(big)
        chunked.chunked = true
        site.serve("/chunked", chunked)
        site.serve("/small", .html("<title>Small</title>"))
        let service = try Self.service(maxSpiderSize: 4096)

        for path in ["/declared", "/chunked"] {
            let error = await #expect(throws: URLPreviewError.tooLarge(limit: 4096)) {
                try await service.preview(url: site.url(path), ts: nil, for: Self.user)
            }
            #expect(error?.clientError.code == .tooLarge)
        }
        #expect(try await service.preview(url: site.url("/small"), ts: nil, for: Self.user)["og:title"] == "Small")
    }

    @Test func anImageURLIsStoredAndDescribed() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/photo", .init(headers: [("Content-Type", "image/png"), ("Content-Disposition", "attachment; filename*=UTF-8''caf%C3%A9.png")], body: Self.png))
        let storage = RecordingImageStorage()
        let og = try await Self.service(storage).preview(url: site.url("/photo"), ts: nil, for: Self.user)

        #expect(og["og:image"] == "mxc://axon.test/preview1")
        #expect(og["og:description"] == "café.png")
        #expect(og["matrix:image:size"] == .integer(Int64(Self.png.count)))
        #expect(storage.images.map(\.contentType) == ["image/png"])
    }

    @Test func otherContentTypesAndErrorStatusesAreRefused() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/binary", .init(headers: [("Content-Type", "application/octet-stream")], body: [1, 2, 3]))
        let service = try Self.service()
        await #expect(throws: URLPreviewError.unsupportedContentType("application/octet-stream")) {
            try await service.preview(url: site.url("/binary"), ts: nil, for: Self.user)
        }
        let error = await #expect(throws: URLPreviewError.errorStatus(404)) {
            try await service.preview(url: site.url("/missing"), ts: nil, for: Self.user)
        }
        #expect(error?.clientError.status == 502)
    }

    @Test func aConfiguredOEmbedProviderAnswersForItsPages() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/api/oembed.json", .init(headers: [("Content-Type", "application/json")], body: Array("""
            {"version": "1.0", "type": "video", "title": "A &amp; video", "author_name": "Someone", "provider_name": "Tube",
             "thumbnail_url": "\(site.url("/thumb.png"))", "html": "<iframe src='https://tube.example/embed/1'></iframe><p>Watch it.</p>",
             "width": 640, "height": 360, "cache_age": "7200"}
            """.utf8)))
        site.serve("/thumb.png", .init(headers: [("Content-Type", "image/png")], body: Self.png))
        let endpoint = OEmbedEndpoint(url: site.url("/api/oembed.{format}"), schemes: ["http://127.0.0.2:*/watch/*"])
        let storage = RecordingImageStorage()
        let page = site.url("/watch/v1?t=10")
        let og = try await Self.service(storage, oEmbed: [endpoint]).preview(url: page, ts: nil, for: Self.user)

        #expect(og["og:title"] == "A & video")
        #expect(og["og:site_name"] == "Tube")
        #expect(og["og:type"] == "video.other")
        #expect(og["og:url"] == .string(page))
        #expect(og["og:video:width"] == 640)
        #expect(og["og:description"] == "Watch it.")
        #expect(og["og:image"] == "mxc://axon.test/preview1")
        #expect(site.requests("/watch/v1") == 0)
        let asked = try #require(site.received.first?.target)
        #expect(asked == "/api/oembed.json?url=http%3A%2F%2F127.0.0.2%3A\(site.port)%2Fwatch%2Fv1%3Ft%3D10&format=json")

        // A blacklisted page is not asked of its provider either.
        let blocking = try Self.service(urlBlacklist: [["path": "/watch/blocked"]], oEmbed: [endpoint])
        await #expect(throws: URLPreviewError.blockedURL) {
            try await blocking.preview(url: site.url("/watch/blocked"), ts: nil, for: Self.user)
        }
        #expect(site.requests("/api/oembed.json") == 1)
    }

    @Test func anOEmbedLinkInAPageIsFollowedAndThePageWins() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/post", .html("""
            <html><head><title>Page title</title>
            <link rel="alternate" type="application/json+oembed" href="/oembed.json?id=7"></head><body><p>Text</p></body></html>
            """))
        site.serve("/oembed.json", .init(headers: [("Content-Type", "application/json+oembed")], body: Array("""
            {"version": "1.0", "type": "photo", "title": "oEmbed title", "author_name": "Author", "url": "/photo.png", "provider_name": "Photos"}
            """.utf8)))
        site.serve("/photo.png", .init(headers: [("Content-Type", "image/png")], body: Self.png))
        let og = try await Self.service().preview(url: site.url("/post"), ts: nil, for: Self.user)

        #expect(og["og:title"] == "Page title")
        #expect(og["og:site_name"] == "Photos")
        #expect(og["og:image"] == "mxc://axon.test/preview1")
        #expect(site.requests("/oembed.json") == 1)
        #expect(site.requests("/photo.png") == 1)
    }

    @Test func aPreviewIsFetchedOnceForConcurrentAndRepeatedRequests() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/cached", .html("<title>Cached</title>"))
        let service = try Self.service()
        let url = site.url("/cached")

        async let first = service.preview(url: url, ts: nil, for: Self.user)
        async let second = service.preview(url: url, ts: nil, for: Self.user)
        let answers = try await [first, second]
        let third = try await service.preview(url: url, ts: nil, for: Self.user)
        #expect(answers.allSatisfy { $0["og:title"] == "Cached" })
        #expect(third == answers[0])
        #expect(site.requests("/cached") == 1)
    }

    @Test func aPastTimestampReusesThePreviewValidThenAndAnExpiredOneIsFetchedAgain() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/api", .init(headers: [("Content-Type", "application/json")], body: Array(#"{"version": "1.0", "type": "link", "title": "Kept", "cache_age": 10800}"#.utf8)))
        let clock = Mutex<Int64>(1_000_000_000)
        let now: @Sendable () -> Int64 = { clock.withLock { $0 } }
        let endpoint = OEmbedEndpoint(url: site.url("/api"), schemes: ["http://127.0.0.2:*/item/*"])
        let service = try Self.service(oEmbed: [endpoint], clock: now)
        let url = site.url("/item/1")
        let hour: Int64 = 3_600_000

        _ = try await service.preview(url: url, ts: nil, for: Self.user)
        clock.withLock { $0 += 2 * hour }
        // Past the hour requests share, but within the three hours the answer is valid for.
        #expect(try await service.preview(url: url, ts: nil, for: Self.user)["og:title"] == "Kept")
        #expect(site.requests("/api") == 1)
        clock.withLock { $0 += 2 * hour }
        // Expired now: fetched again.
        _ = try await service.preview(url: url, ts: nil, for: Self.user)
        #expect(site.requests("/api") == 2)
    }
}
