import MatrixTypes

/// Which servers and addresses federation may reach: the outbound IP blacklist (loopback and private
/// ranges by default), its exceptions, and the optional allow-list of server names.
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

    public init() {}
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
