import Federation
import MatrixTypes
import Synchronization
import Testing

/// Server-name resolution (spec "Resolving server names"), with the well-known and SRV lookups stubbed.
struct ServerNameResolverTests {
    final class Lookups: Sendable {
        let wellKnown = Mutex(0)
        let services = Mutex<[String]>([])
    }

    func resolver(
        _ delegation: ServerNameResolver.Delegation, records: [String: [ServiceRecord]] = [:], lookups: Lookups = Lookups()
    ) -> ServerNameResolver {
        ServerNameResolver(
            lookUp: { _ in
                lookups.wellKnown.withLock { $0 += 1 }
                return delegation
            },
            services: { name in
                lookups.services.withLock { $0.append(name) }
                return records[name] ?? []
            }
        )
    }

    static func srv(_ target: String, _ port: Int, priority: UInt16 = 10, weight: UInt16 = 0) -> ServiceRecord {
        ServiceRecord(priority: priority, weight: weight, port: port, target: target, ttl: 300)
    }

    @Test func ipLiteralsAndExplicitPortsAreUsedAsTheyAreWithoutALookup() async throws {
        let lookups = Lookups()
        let resolver = resolver(.none(keepFor: .seconds(60)), lookups: lookups)
        #expect(try await resolver.endpoints(for: try ServerName("1.2.3.4")) == [.init(host: "1.2.3.4", port: 8448, hostHeader: "1.2.3.4", tlsName: nil)])
        #expect(try await resolver.endpoints(for: try ServerName("[::1]:8449")) == [.init(host: "::1", port: 8449, hostHeader: "[::1]:8449", tlsName: nil)])
        #expect(
            try await resolver.endpoints(for: try ServerName("example.org:9000"))
                == [.init(host: "example.org", port: 9000, hostHeader: "example.org:9000", tlsName: "example.org")]
        )
        #expect(lookups.wellKnown.withLock { $0 } == 0 && lookups.services.withLock { $0 }.isEmpty)
    }

    @Test func aDelegationIsFollowedAndKeptAndItsAbsenceMeansPort8448() async throws {
        let lookups = Lookups()
        let delegated = resolver(.delegated(try ServerName("matrix.example.org:443"), keepFor: .seconds(60)), lookups: lookups)
        let expected = [FederationEndpoint(host: "matrix.example.org", port: 443, hostHeader: "matrix.example.org:443", tlsName: "matrix.example.org")]
        #expect(try await delegated.endpoints(for: try ServerName("example.org")) == expected)
        #expect(try await delegated.endpoints(for: try ServerName("example.org")) == expected)
        #expect(lookups.wellKnown.withLock { $0 } == 1, "the delegation is kept")
        #expect(lookups.services.withLock { $0 }.isEmpty, "a delegation with a port needs no SRV lookup")
        let toHost = resolver(.delegated(try ServerName("matrix.example.org"), keepFor: .seconds(60)))
        #expect(try await toHost.endpoints(for: try ServerName("example.org")).map(\.port) == [8448])
        let none = resolver(.none(keepFor: .seconds(60)))
        #expect(
            try await none.endpoints(for: try ServerName("example.org"))
                == [.init(host: "example.org", port: 8448, hostHeader: "example.org", tlsName: "example.org")]
        )
    }

    @Test func srvRecordsComeAfterTheWellKnownLookupMatrixFedBeforeTheDeprecatedService() async throws {
        let lookups = Lookups()
        let both = resolver(
            .none(keepFor: .seconds(60)),
            records: [
                "_matrix-fed._tcp.example.org": [Self.srv("b.example.org", 8449, priority: 20), Self.srv("a.example.org", 8450, priority: 10)],
                "_matrix._tcp.example.org": [Self.srv("old.example.org", 8451)],
            ],
            lookups: lookups
        )
        #expect(
            try await both.endpoints(for: try ServerName("example.org")) == [
                .init(host: "a.example.org", port: 8450, hostHeader: "example.org", tlsName: "example.org"),
                .init(host: "b.example.org", port: 8449, hostHeader: "example.org", tlsName: "example.org"),
            ]
        )
        #expect(lookups.services.withLock { $0 } == ["_matrix-fed._tcp.example.org"])
        let legacy = resolver(.none(keepFor: .seconds(60)), records: ["_matrix._tcp.example.org": [Self.srv("old.example.org", 8451)]])
        #expect(
            try await legacy.endpoints(for: try ServerName("example.org"))
                == [.init(host: "old.example.org", port: 8451, hostHeader: "example.org", tlsName: "example.org")]
        )
        let delegated = resolver(
            .delegated(try ServerName("matrix.example.org"), keepFor: .seconds(60)),
            records: ["_matrix-fed._tcp.matrix.example.org": [Self.srv("host.example.net", 443)], "_matrix-fed._tcp.example.org": [Self.srv("no", 1)]]
        )
        #expect(
            try await delegated.endpoints(for: try ServerName("example.org"))
                == [.init(host: "host.example.net", port: 443, hostHeader: "matrix.example.org", tlsName: "matrix.example.org")],
            "a delegated name's own SRV records, presenting the delegated name"
        )
        let refused = resolver(.none(keepFor: .seconds(60)), records: ["_matrix-fed._tcp.example.org": [Self.srv("", 0)]])
        #expect(try await refused.endpoints(for: try ServerName("example.org")).isEmpty, "a record for the root: no federation offered")
    }

    @Test func nameServersThatDoNotAnswerFailTheResolution() async throws {
        let resolver = ServerNameResolver(lookUp: { _ in .none(keepFor: .seconds(60)) }, services: { _ throws(DNSMessage.Failure) in throw .serverFailure(2) })
        await #expect(throws: OutboundHTTPError.unresolvable("_matrix-fed._tcp.example.org")) {
            try await resolver.endpoints(for: try ServerName("example.org"))
        }
    }

    static let cacheControls: [(String?, Int)] = [
        (nil, 24 * 3600), ("max-age=600", 600), ("public, max-age=10", 300), ("max-age=9999999", 48 * 3600), ("no-store", 300),
    ]

    @Test(arguments: cacheControls)
    func aDelegationIsKeptAsItsCacheControlSaysWithinBounds(_ header: String?, _ seconds: Int) {
        #expect(WellKnownServerLookup.keep(header) == .seconds(seconds))
    }
}
