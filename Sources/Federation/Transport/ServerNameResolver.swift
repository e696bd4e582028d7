public import MatrixTypes

/// Turns a server name into the endpoints its federation traffic goes to, in the order to try them (spec "Resolving
/// server names"): an IP literal or an explicit port is used as is; otherwise the name's `/.well-known/matrix/server`
/// may delegate to another server name, itself an IP literal, a host with a port, or a host whose SRV records are
/// looked up; without delegation the name's own SRV records. SRV records of `_matrix-fed._tcp` are asked for first,
/// then the deprecated `_matrix._tcp`; their targets are tried in RFC 2782 order, presenting the (delegated) host name
/// as `Host` and TLS name. Without any, the host on port 8448. Answers of the well-known lookup are cached for as long
/// as they say (within Synapse's bounds), and a missing or invalid one for an hour, so a server without delegation is
/// not asked on every request.
public final class ServerNameResolver: Sendable {
    /// What a server's well-known lookup said.
    public enum Delegation: Sendable, Hashable {
        /// `m.server`: the delegated server name, and how long the answer may be kept.
        case delegated(ServerName, keepFor: Duration)
        /// No valid delegation (absent, invalid, unreachable), kept for the given time.
        case none(keepFor: Duration)
    }

    /// Fetches and reads `https://<host>/.well-known/matrix/server`.
    public typealias WellKnownLookup = @Sendable (_ host: String) async -> Delegation
    /// The SRV records of a name (none when it has none); throws when the name servers give no answer.
    public typealias ServiceLookup = @Sendable (_ name: String) async throws(DNSMessage.Failure) -> [ServiceRecord]

    public static let defaultPort = 8448
    static let services = ["_matrix-fed._tcp.", "_matrix._tcp."]

    private let lookUp: WellKnownLookup
    private let services: ServiceLookup
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let cache: ExpiringCache<String, Delegation>

    /// - Parameter capacity: server names whose delegation is kept at most; past it the cache starts over.
    public init(
        lookUp: @escaping WellKnownLookup, services: @escaping ServiceLookup, capacity: Int = 10_000,
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.lookUp = lookUp
        self.services = services
        cache = ExpiringCache(capacity: capacity)
        self.clock = clock
    }

    /// Where to send a request for `server`, in the order to try; empty when its SRV records say it offers no
    /// federation. Throws when the name servers cannot be asked.
    public func endpoints(for server: ServerName) async throws(OutboundHTTPError) -> [FederationEndpoint] {
        if server.hostKind != .dnsName || server.port != nil { return [FederationEndpoint(server: server, defaultPort: Self.defaultPort)] }
        var name = server
        if case .delegated(let delegated, _) = await delegation(of: server.host) {
            if delegated.hostKind != .dnsName || delegated.port != nil { return [FederationEndpoint(server: delegated, defaultPort: Self.defaultPort)] }
            name = delegated
        }
        return try await serviceEndpoints(of: name.host) ?? [FederationEndpoint(server: name, defaultPort: Self.defaultPort)]
    }

    /// The targets of `host`'s SRV records, `nil` when it has none.
    private func serviceEndpoints(of host: String) async throws(OutboundHTTPError) -> [FederationEndpoint]? {
        for service in Self.services {
            let records: [ServiceRecord]
            do {
                records = try await services(service + host)
            } catch {
                throw .unresolvable("\(service)\(host)")
            }
            guard !records.isEmpty else { continue }
            return ServiceRecord.attemptOrder(records).map { FederationEndpoint(host: $0.target, port: $0.port, hostHeader: host, tlsName: host) }
        }
        return nil
    }

    private func delegation(of host: String) async -> Delegation {
        if let cached = cache.entry(host, at: clock()), cached.fresh { return cached.value }
        let found = await lookUp(host)
        let keep: Duration
        switch found {
        case .delegated(_, let keepFor), .none(let keepFor): keep = keepFor
        }
        cache.store(found, for: host, until: clock() + keep)
        return found
    }
}
