import Federation
public import Logging
public import MatrixTypes
import NIOCore
import NIOPosix

/// `GET /preview_url`: the Open Graph tags of a page (with Synapse's Matrix additions), made as Synapse makes them.
/// A URL a provider's oEmbed API answers for is asked of that API; an image is stored through `PreviewImageStorage`
/// and described by its `mxc://` URI, type, size and dimensions; an HTML page gives its tags, merged over those of
/// the oEmbed answer it advertises, and its `og:image` is fetched and stored the same way. Every fetch goes through
/// one checked fetcher; previews are cached per URL (`PreviewCache`).
public final class URLPreviewService: Sendable {
    static let hour: Int64 = 3_600_000
    /// Synapse never keeps a preview longer than a day, whatever an oEmbed `cache_age` says.
    static let longestValidity: Int64 = 24 * hour

    private let fetcher: PreviewFetcher
    private let providers: OEmbedProviders
    private let images: any PreviewImageStorage
    private let cache: PreviewCache
    private let clock: @Sendable () -> Int64
    private let logger: Logger

    /// - Parameters:
    ///   - images: where the images previews show are stored.
    ///   - cacheCapacity: URLs whose previews are kept in memory at most.
    ///   - clock: Unix milliseconds.
    /// - Throws: when the TLS context cannot be made.
    public init(
        settings: URLPreviewSettings, images: any PreviewImageStorage, logger: Logger = Logger(label: "axon.url-preview"),
        cacheCapacity: Int = 1000, clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) throws {
        fetcher = PreviewFetcher(
            http: try OutboundHTTP(policy: settings.addressPolicy, addresses: settings.addresses), blacklist: URLBlacklist(entries: settings.urlBlacklist),
            acceptLanguage: settings.acceptLanguage.joined(separator: ", "), sizeLimit: settings.maxSpiderSize, timeout: settings.timeout
        )
        providers = OEmbedProviders(settings.oEmbedEndpoints)
        self.images = images
        cache = PreviewCache(capacity: cacheCapacity, recentLifetime: Self.hour, clock: clock)
        self.clock = clock
        self.logger = logger
    }

    /// The preview of `url` for `user`, as of `ts` (Unix milliseconds; now when `nil`).
    public func preview(url: String, ts: Int64?, for user: UserID) async throws(URLPreviewError) -> JSONObject {
        guard let parsed = PreviewURL(url) else { throw .invalidURL }
        let outcome = await cache.preview(of: url, at: ts ?? clock()) { [self] in
            do throws(URLPreviewError) {
                return .success(try await make(parsed, asked: url, for: user))
            } catch {
                logger.info("no preview", metadata: ["host": "\(parsed.host)", "reason": "\(error)"])
                return .failure(error)
            }
        }
        return try outcome.get().og
    }

    private func make(_ url: PreviewURL, asked: String, for user: UserID) async throws(URLPreviewError) -> PreviewCache.Made {
        let madeAt = clock()
        // The page's own URL, even when its provider's API is fetched instead.
        guard !fetcher.blacklist.blocks(url) else { throw .blockedURL }
        let oEmbedAPI = providers.apiURL(for: asked).flatMap(PreviewURL.init)
        let fetched = try await fetcher.fetch(oEmbedAPI ?? url)
        var validity = Self.hour
        var authorName: String?
        var og = JSONObject()
        if fetched.isImage {
            let stored: StoredPreviewImage
            do {
                stored = try await images.store(fetched.body, contentType: fetched.contentType, uploadName: fetched.downloadName, for: user)
            } catch {
                throw .imageNotStored("\(error)")
            }
            og["og:description"] = fetched.downloadName.map(JSONValue.string) ?? .null
            describe(stored, type: fetched.contentType, in: &og)
        } else if fetched.isHTML {
            if let page = await Self.page(fetched) {
                var fromOEmbed = JSONObject()
                if let link = page.oEmbedLink.flatMap(fetched.url.resolving) {
                    do {
                        let answer = try await fetcher.fetch(link)
                        if answer.isJSON {
                            let read = await OEmbedAnswer(json: Array(answer.body.readableBytesView), for: asked, describe: Self.page(html:))
                            fromOEmbed = read.og
                            authorName = read.authorName
                            if !read.og.isEmpty, let age = read.cacheAge { validity = age }
                        }
                    } catch {
                        logger.info("oEmbed discovery failed", metadata: ["host": "\(link.host)", "reason": "\(error)"])
                    }
                }
                og = fromOEmbed
                og.merge(OpenGraph.tags(of: page)) { _, fromHTML in fromHTML }
                await storeImage(of: &og, base: fetched.url, for: user)
            }
        } else if oEmbedAPI != nil, fetched.isJSON {
            let read = await OEmbedAnswer(json: Array(fetched.body.readableBytesView), for: asked, describe: Self.page(html:))
            og = read.og
            authorName = read.authorName
            if !read.og.isEmpty, let age = read.cacheAge { validity = age }
            await storeImage(of: &og, base: fetched.url, for: user)
        }
        if let authorName, (og["og:title"]?.stringValue ?? "").isEmpty { og["og:title"] = .string(authorName) }
        return PreviewCache.Made(og: OpenGraph.pruned(og), madeAt: madeAt, expiresAt: madeAt + min(validity, Self.longestValidity))
    }

    /// Replaces `og:image` by the stored copy of the image it names; drops it when that image cannot be had.
    private func storeImage(of og: inout JSONObject, base: PreviewURL, for user: UserID) async {
        guard let named = og.removeValue(forKey: "og:image")?.stringValue, !named.isEmpty, let url = base.resolving(named) else { return }
        do {
            let fetched = try await fetcher.fetch(url)
            guard fetched.isImage else { return }
            let stored = try await images.store(fetched.body, contentType: fetched.contentType, uploadName: fetched.downloadName, for: user)
            describe(stored, type: fetched.contentType, in: &og)
        } catch {
            logger.info("preview image not stored", metadata: ["host": "\(url.host)", "reason": "\(error)"])
        }
    }

    private func describe(_ image: StoredPreviewImage, type: String, in og: inout JSONObject) {
        og["og:image"] = .string(image.uri)
        og["og:image:type"] = .string(type)
        og["matrix:image:size"] = .integer(Int64(image.size))
        if let width = image.width, let height = image.height {
            og["og:image:width"] = .integer(Int64(width))
            og["og:image:height"] = .integer(Int64(height))
        }
    }

    /// The page's HTML in its character set, parsed off the event loops.
    private static func page(_ fetched: PreviewFetcher.Fetched) async -> HTMLPage? {
        let body = Array(fetched.body.readableBytesView)
        let contentType = fetched.contentType
        return try? await NIOThreadPool.singleton.runIfActive {
            HTMLCharset.decode(body, contentType: contentType).flatMap(HTMLPage.parse(utf8:))
        }
    }

    /// An oEmbed answer's HTML, parsed off the event loops.
    private static func page(html: String) async -> HTMLPage? {
        try? await NIOThreadPool.singleton.runIfActive { HTMLPage.parse(utf8: Array(html.utf8)) }
    }
}
