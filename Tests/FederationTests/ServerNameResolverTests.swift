import Federation
import MatrixTypes
import Synchronization
import Testing

/// Server-name resolution (spec "Resolving server names"), with the well-known lookup stubbed.
struct ServerNameResolverTests {
    final class Lookups: Sendable {
        let count = Mutex(0)
    }

    func resolver(_ delegation: ServerNameResolver.Delegation, lookups: Lookups = Lookups()) -> ServerNameResolver {
        ServerNameResolver(lookUp: { _ in
            lookups.count.withLock { $0 += 1 }
            return delegation
        })
    }

    @Test func ipLiteralsAndExplicitPortsAreUsedAsTheyAreWithoutALookup() async throws {
        let lookups = Lookups()
        let resolver = resolver(.none(keepFor: .seconds(60)), lookups: lookups)
        #expect(await resolver.endpoint(for: try ServerName("1.2.3.4")) == .init(host: "1.2.3.4", port: 8448, hostHeader: "1.2.3.4", tlsName: nil))
        #expect(await resolver.endpoint(for: try ServerName("[::1]:8449")) == .init(host: "::1", port: 8449, hostHeader: "[::1]:8449", tlsName: nil))
        #expect(
            await resolver.endpoint(for: try ServerName("example.org:9000"))
                == .init(host: "example.org", port: 9000, hostHeader: "example.org:9000", tlsName: "example.org")
        )
        #expect(lookups.count.withLock { $0 } == 0)
    }

    @Test func aDelegationIsFollowedAndKeptAndItsAbsenceMeansPort8448() async throws {
        let lookups = Lookups()
        let delegated = resolver(.delegated(try ServerName("matrix.example.org:443"), keepFor: .seconds(60)), lookups: lookups)
        let expected = FederationEndpoint(host: "matrix.example.org", port: 443, hostHeader: "matrix.example.org:443", tlsName: "matrix.example.org")
        #expect(await delegated.endpoint(for: try ServerName("example.org")) == expected)
        #expect(await delegated.endpoint(for: try ServerName("example.org")) == expected)
        #expect(lookups.count.withLock { $0 } == 1, "the delegation is kept")
        let toHost = resolver(.delegated(try ServerName("matrix.example.org"), keepFor: .seconds(60)))
        #expect(await toHost.endpoint(for: try ServerName("example.org")).port == 8448)
        let none = resolver(.none(keepFor: .seconds(60)))
        #expect(
            await none.endpoint(for: try ServerName("example.org"))
                == .init(host: "example.org", port: 8448, hostHeader: "example.org", tlsName: "example.org")
        )
    }

    static let cacheControls: [(String?, Int)] = [
        (nil, 24 * 3600), ("max-age=600", 600), ("public, max-age=10", 300), ("max-age=9999999", 48 * 3600), ("no-store", 300),
    ]

    @Test(arguments: cacheControls)
    func aDelegationIsKeptAsItsCacheControlSaysWithinBounds(_ header: String?, _ seconds: Int) {
        #expect(WellKnownServerLookup.keep(header) == .seconds(seconds))
    }
}
