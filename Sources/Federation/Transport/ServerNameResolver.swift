public import MatrixTypes
import Synchronization

/// Turns a server name into the endpoint its federation traffic goes to (spec "Resolving server names"): an IP
/// literal or an explicit port is used as is; otherwise the name's `/.well-known/matrix/server` may delegate to another
/// host (itself an IP literal, a host with a port, or a host on the default port); without delegation the name's host
/// on port 8448. Answers of the well-known lookup are cached for as long as they say (within Synapse's bounds), and a
/// missing or invalid one for an hour, so a server without delegation is not asked on every request.
///
/// SRV records (`_matrix-fed._tcp`, then `_matrix._tcp`) are not looked up yet: a server that delegates only through
/// them is reached on port 8448 of its name.
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

    public static let defaultPort = 8448

    private let lookUp: WellKnownLookup
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let capacity: Int
    private let cache = Mutex<[String: (delegation: Delegation, until: ContinuousClock.Instant)]>([:])

    /// - Parameter capacity: server names whose delegation is kept at most; past it the cache starts over.
    public init(lookUp: @escaping WellKnownLookup, capacity: Int = 10_000, clock: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lookUp = lookUp
        self.capacity = capacity
        self.clock = clock
    }

    public func endpoint(for server: ServerName) async -> FederationEndpoint {
        if server.hostKind != .dnsName || server.port != nil { return FederationEndpoint(server: server, defaultPort: Self.defaultPort) }
        switch await delegation(of: server.host) {
        case .delegated(let delegated, _): return FederationEndpoint(server: delegated, defaultPort: Self.defaultPort)
        case .none: return FederationEndpoint(server: server, defaultPort: Self.defaultPort)
        }
    }

    private func delegation(of host: String) async -> Delegation {
        let now = clock()
        if let cached = cache.withLock({ $0[host] }), cached.until > now { return cached.delegation }
        let found = await lookUp(host)
        let keep: Duration
        switch found {
        case .delegated(_, let keepFor), .none(let keepFor): keep = keepFor
        }
        cache.withLock { cache in
            if cache.count >= capacity, cache[host] == nil { cache.removeAll(keepingCapacity: true) }
            cache[host] = (found, clock() + keep)
        }
        return found
    }
}
