/// URL previews (`url_preview_*`). Off by default; when on, Synapse insists on an explicit IP blacklist so
/// previews cannot be used to probe the server's private network.
public struct URLPreviewConfig: Sendable, Hashable {
    public var enabled = false
    /// `url_preview_ip_range_blacklist`, plus `0.0.0.0` and `::`, which are always blocked.
    public var ipRangeBlacklist: [IPRange] = []
    /// `url_preview_ip_range_whitelist`: exceptions to the blacklist.
    public var ipRangeWhitelist: [IPRange] = []
    /// `url_preview_url_blacklist`: each entry maps URL components (`netloc`, `scheme`, …) to a glob or `^regex`.
    public var urlBlacklist: [[String: String]] = []
    /// `url_preview_accept_language`: sent as `Accept-Language` when fetching pages.
    public var acceptLanguage = ["en"]
    /// `max_spider_size` in bytes: the most of a page fetched for a preview.
    public var maxSpiderSize = 10 * 1024 * 1024
    /// `oembed`: the providers whose oEmbed API previews their pages.
    public var oembed = OEmbedConfig()

    public init() {}

    static let missingBlacklistError =
        "For security, you must specify an explicit target IP address blacklist in url_preview_ip_range_blacklist for url previewing to work"
}

extension URLPreviewConfig {
    init(from root: MappingReader, paths: PathResolver) {
        oembed = OEmbedConfig(from: root, paths: paths)
        enabled = root.bool("url_preview_enabled", default: false)
        maxSpiderSize = root.size("max_spider_size") ?? maxSpiderSize
        let blacklist = root.value("url_preview_ip_range_blacklist").flatMap(IPRange.list)
        ipRangeWhitelist = root.value("url_preview_ip_range_whitelist").flatMap(IPRange.list) ?? []
        acceptLanguage = root.stringList("url_preview_accept_language").flatMap { $0.isEmpty ? nil : $0 } ?? acceptLanguage
        if let entries = root.value("url_preview_url_blacklist")?.list() {
            urlBlacklist = entries.compactMap { entry in
                guard let rule = entry.mapping() else { return nil }
                var components: [String: String] = [:]
                for (key, _) in rule.unreadKeys { components[key] = rule.string(key) }
                return components
            }
        }
        let proxied = root.has("http_proxy") || root.has("https_proxy")
        if let blacklist {
            ipRangeBlacklist = blacklist + IPRange.alwaysBlocked
        } else if enabled, !proxied {
            root.error("url_preview_ip_range_blacklist", Self.missingBlacklistError)
        }
    }
}
