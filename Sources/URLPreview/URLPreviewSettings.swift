public import Federation

/// What the `url_preview_*` and `oembed` settings say, in the terms the preview service uses.
public struct URLPreviewSettings: Sendable {
    /// `url_preview_ip_range_blacklist` with its whitelist exceptions: every address fetched from is checked.
    public var addressPolicy: OutboundAddressPolicy
    /// `url_preview_url_blacklist`.
    public var urlBlacklist: [[String: String]]
    /// `url_preview_accept_language`.
    public var acceptLanguage: [String]
    /// `max_spider_size` in bytes.
    public var maxSpiderSize: Int
    /// The oEmbed providers' endpoints.
    public var oEmbedEndpoints: [OEmbedEndpoint]
    /// How long one fetch (one redirect hop) may take once connected.
    public var timeout: Duration
    /// How host names become addresses.
    public var addresses: HostAddresses

    public init(
        addressPolicy: OutboundAddressPolicy, urlBlacklist: [[String: String]] = [], acceptLanguage: [String] = ["en"],
        maxSpiderSize: Int = 10 * 1024 * 1024, oEmbedEndpoints: [OEmbedEndpoint] = [], timeout: Duration = .seconds(60),
        addresses: HostAddresses = HostAddresses()
    ) {
        self.addressPolicy = addressPolicy
        self.urlBlacklist = urlBlacklist
        self.acceptLanguage = acceptLanguage
        self.maxSpiderSize = maxSpiderSize
        self.oEmbedEndpoints = oEmbedEndpoints
        self.timeout = timeout
        self.addresses = addresses
    }
}
