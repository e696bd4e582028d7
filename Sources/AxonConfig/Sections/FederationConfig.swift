import MatrixTypes

/// Which servers and addresses federation may reach: the outbound IP blacklist (loopback and private
/// ranges by default), its exceptions, and the optional allow-list of server names; and how requests to them are
/// timed and retried (Synapse's `federation:` section).
public struct FederationConfig: Sendable, Hashable {
    /// `ip_range_blacklist` (Synapse's private, loopback and reserved ranges by default) plus `0.0.0.0`
    /// and `::`, which are always blocked. Applies to every outbound request Axon makes for others.
    public var ipRangeBlacklist: [IPRange] = IPRange.defaultBlacklist + IPRange.alwaysBlocked
    /// `ip_range_whitelist`: exceptions to the blacklist (e.g. `127.0.0.0/8` for a test peer).
    public var ipRangeWhitelist: [IPRange] = []
    /// `federation_domain_whitelist`: when set, the only servers Axon federates with. `[]` blocks all
    /// federation; `nil` (the default) allows any.
    public var domainWhitelist: [String]?
    /// `federation_verify_certificates`: check remote servers' TLS certificates.
    public var verifyCertificates = true
    /// `federation_custom_ca_list`, absolute paths: PEM certificate authorities trusted for federation instead of the
    /// system's.
    public var customCAList: [String] = []
    /// `federation_dns_servers` (Axon's own): name servers, `address` or `address:port`, asked for the SRV and address
    /// records of other servers' names instead of the system's resolver; empty uses `/etc/resolv.conf` for SRV
    /// records and the system's resolver for addresses.
    public var dnsServers: [DNSServer] = []
    /// `federation:`: timeouts and retries, with Synapse's defaults.
    public var timing = Timing()

    public init() {}

    /// A name server's IP address and port.
    public struct DNSServer: Sendable, Hashable {
        public var address: String
        public var port: Int

        public init(address: String, port: Int = 53) {
            self.address = address
            self.port = port
        }
    }

    /// Synapse's `federation:` section. Durations in milliseconds.
    public struct Timing: Sendable, Hashable {
        /// `client_timeout`: how long one request to another server may take.
        public var clientTimeout = 60_000
        /// `max_short_retries` and `max_short_retry_delay`: retries of a request someone waits for.
        public var maxShortRetries = 3
        public var maxShortRetryDelay = 2_000
        /// `max_long_retries` and `max_long_retry_delay`: retries of a transaction before the destination counts as down.
        public var maxLongRetries = 10
        public var maxLongRetryDelay = 60_000
        /// `destination_min_retry_interval`, `destination_retry_multiplier`, `destination_max_retry_interval`: the
        /// backoff of a destination that is down.
        public var destinationMinRetryInterval = 600_000
        public var destinationRetryMultiplier = 2.0
        public var destinationMaxRetryInterval = 7 * 86_400_000

        public init() {}
    }
}

extension FederationConfig {
    init(from root: MappingReader, paths: PathResolver) {
        if let blacklist = root.value("ip_range_blacklist").flatMap(IPRange.list) {
            ipRangeBlacklist = blacklist + IPRange.alwaysBlocked
        }
        ipRangeWhitelist = root.value("ip_range_whitelist").flatMap(IPRange.list) ?? []
        if let names = root.value("federation_domain_whitelist")?.list() {
            domainWhitelist = names.compactMap { value in
                guard let name = value.string() else { return nil }
                if let problem = ServerName.problem(with: name) { value.error(problem) }
                return name
            }
        }
        verifyCertificates = root.bool("federation_verify_certificates", default: true)
        customCAList = root.value("federation_custom_ca_list")?.list()?.compactMap { $0.string().map(paths.absolute) } ?? []
        dnsServers = root.value("federation_dns_servers")?.list()?.compactMap { value in
            guard let text = value.string() else { return nil }
            guard let name = try? ServerName(text), name.hostKind != .dnsName else {
                value.error("expected an IP address, optionally with a port (\"127.0.0.1:5353\", \"[::1]:53\"), got \"\(text)\"")
                return nil
            }
            return DNSServer(address: name.hostKind == .ipv6 ? String(name.host.dropFirst().dropLast()) : name.host, port: name.port ?? 53)
        } ?? []
        if let section = root.mapping("federation") { timing = Timing(from: section) }
    }
}

extension FederationConfig.Timing {
    init(from section: MappingReader) {
        clientTimeout = section.duration("client_timeout") ?? clientTimeout
        maxShortRetries = section.value("max_short_retries")?.int(in: 0...100) ?? maxShortRetries
        maxShortRetryDelay = section.duration("max_short_retry_delay") ?? maxShortRetryDelay
        maxLongRetries = section.value("max_long_retries")?.int(in: 0...100) ?? maxLongRetries
        maxLongRetryDelay = section.duration("max_long_retry_delay") ?? maxLongRetryDelay
        destinationMinRetryInterval = section.duration("destination_min_retry_interval") ?? destinationMinRetryInterval
        if let multiplier = section.value("destination_retry_multiplier"), let value = multiplier.double() {
            if value >= 1 { destinationRetryMultiplier = value } else { multiplier.error("expected a number of at least 1, got \(value)") }
        }
        destinationMaxRetryInterval = section.duration("destination_max_retry_interval") ?? destinationMaxRetryInterval
        section.warnAboutUnknownKeys()
    }
}

extension IPRange {
    /// Synapse's `DEFAULT_IP_RANGE_BLOCKLIST`: addresses that are private, unroutable or make no sense to
    /// contact on another server's behalf.
    public static let defaultBlacklist: [IPRange] = [
        "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24",
        "169.254.0.0/16", "192.88.99.0/24", "198.18.0.0/15", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "::1/128", "fe80::/10", "fc00::/7", "2001:db8::/32", "ff00::/8", "fec0::/10",
    ].compactMap(IPRange.init)

    /// The unspecified addresses, which Synapse adds to every blacklist.
    public static let alwaysBlocked: [IPRange] = ["0.0.0.0/32", "::/128"].compactMap(IPRange.init)

    /// A list of CIDR strings; each bad entry is reported at its own index.
    static func list(_ value: ValueReader) -> [IPRange]? {
        value.list()?.compactMap { entry in
            guard let text = entry.string() else { return nil }
            guard let range = IPRange(text) else {
                entry.error("invalid IP range \"\(text)\"")
                return nil
            }
            return range
        }
    }
}
