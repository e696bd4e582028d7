import MatrixTypes
import NIOHTTP1

/// Reads a server's `/.well-known/matrix/server` over the federation transport (so the outbound address policy
/// applies to it too), the way Synapse does: a 200 with a JSON object whose `m.server` is a valid server name
/// delegates, kept for its `Cache-Control: max-age` within five minutes and two days (a day without one); anything
/// else is no delegation, kept for an hour. Redirects are followed, a few hops at most, each hop checked again.
public struct WellKnownServerLookup: Sendable {
    let transport: FederationTransport

    static let sizeLimit = 50 * 1024
    static let redirectLimit = 5
    static let defaultKeep: Duration = .seconds(24 * 3600)
    static let minimumKeep: Duration = .seconds(5 * 60)
    static let maximumKeep: Duration = .seconds(48 * 3600)
    static let invalidKeep: Duration = .seconds(3600)

    public init(transport: FederationTransport) {
        self.transport = transport
    }

    public func lookUp(_ host: String) async -> ServerNameResolver.Delegation {
        var endpoint = FederationEndpoint(host: host, port: 443, hostHeader: host, tlsName: host)
        var target = "/.well-known/matrix/server"
        for _ in 0...Self.redirectLimit {
            guard let response = try? await transport.send(.init(method: .GET, target: target), to: endpoint) else { break }
            if (301...308).contains(response.status), let location = response.headers.first(name: "Location"),
                let next = Self.redirect(location, from: endpoint)
            {
                (endpoint, target) = next
                continue
            }
            guard response.status == 200, response.body.count <= Self.sizeLimit,
                let json = try? JSONValue.parse(String(decoding: response.body, as: UTF8.self)),
                let delegated = json["m.server"]?.stringValue, let server = try? ServerName(delegated)
            else { break }
            return .delegated(server, keepFor: Self.keep(response.headers.first(name: "Cache-Control")))
        }
        return .none(keepFor: Self.invalidKeep)
    }

    /// How long an answer with this `Cache-Control` is kept.
    public static func keep(_ cacheControl: String?) -> Duration {
        guard let cacheControl else { return defaultKeep }
        for directive in cacheControl.split(separator: ",") {
            let parts = directive.filter { !$0.isWhitespace }.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.first?.lowercased() == "no-store" { return minimumKeep }
            if parts.count == 2, parts[0].lowercased() == "max-age", let seconds = Int(parts[1]) {
                return min(max(.seconds(seconds), minimumKeep), maximumKeep)
            }
        }
        return defaultKeep
    }

    /// The endpoint and target an `https` redirect points at (relative ones stay on the same host).
    private static func redirect(_ location: String, from endpoint: FederationEndpoint) -> (FederationEndpoint, String)? {
        if location.hasPrefix("/") { return (endpoint, location) }
        guard location.hasPrefix("https://") else { return nil }
        let rest = location.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard let server = try? ServerName(String(authority)) else { return nil }
        return (FederationEndpoint(server: server, defaultPort: 443), path.isEmpty ? "/" : String(path))
    }
}
