import AxonTesting
import Foundation
import MatrixTypes
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Server-name resolution against a real name server: Axon, pointed at a loopback `dnsmasq` by
/// `federation_dns_servers`, reaches servers named by DNS names only through what the spec's resolution finds (SRV
/// records in priority order, the deprecated SRV service, `.well-known` delegation, the 8448 default), and keeps a
/// failed `.well-known` lookup instead of asking again. Each far end lists its public room to it over federation.
@Suite(.enabled(if: LoopbackDNS.isAvailable && getuid() == 0, "needs dnsmasq (make test-deps) and root for port 443"))
struct FederationDiscoveryTests {
    static let domain = "axon.test"
    /// Loopback addresses of their own, so the servers on the well-known ports 443 and 8448 meet nothing else.
    static let wellKnownAddress = "127.77.0.1"
    static let defaultPortAddress = "127.77.0.2"

    @Test func serverNamesResolveThroughSRVWellKnownAndThe8448Default() async throws {
        let ca = try await TestCertificateAuthority.make()
        let unanswering = try await RefusingListener()
        let deprecatedService = try await RefusingListener()
        let wellKnownProbe = try await RefusingListener(host: Self.defaultPortAddress, port: 443)
        let srvPort = try await FreePort.next()
        let oldSrvPort = try await FreePort.next()
        let dns = try await LoopbackDNS(
            domain: Self.domain,
            addresses: [
                "unanswering.axon.test": "127.0.0.1", "federation.axon.test": "127.0.0.1", "legacy.axon.test": "127.0.0.1",
                "oldhost.axon.test": "127.0.0.1", "wk.axon.test": Self.wellKnownAddress, "plain.axon.test": Self.defaultPortAddress,
            ],
            services: [
                // The lower priority value is tried first and never answers; the next one serves.
                .init("_matrix-fed._tcp.srv.axon.test", target: "unanswering.axon.test", port: unanswering.port, priority: 10),
                .init("_matrix-fed._tcp.srv.axon.test", target: "federation.axon.test", port: srvPort, priority: 20),
                // Asked only when the name has no _matrix-fed._tcp record.
                .init("_matrix._tcp.srv.axon.test", target: "legacy.axon.test", port: deprecatedService.port),
                .init("_matrix._tcp.old.axon.test", target: "oldhost.axon.test", port: oldSrvPort),
            ]
        )
        let farEnds: [FederationPeers.Placement] = [
            .init(serverName: "srv.axon.test", port: srvPort),
            .init(serverName: "old.axon.test", port: oldSrvPort),
            .init(serverName: "wk.axon.test", address: Self.wellKnownAddress, port: 443, servesWellKnown: true),
            .init(serverName: "plain.axon.test", address: Self.defaultPortAddress, port: 8448),
        ]
        try await FederationPeers.withAxon(ca: ca, extraConfig: "federation_dns_servers: ['\(dns.address)']") { asker in
            let alice = try await SuiteClient.register(asker.clientURL, prefix: "alice", recordSecrets: true)
            try await Self.withFarEnds(farEnds, ca: ca) { servers in
                for (server, room) in servers {
                    let listed = try await alice.ok("GET", "/publicRooms?server=\(SuiteClient.escape(server.serverName))")
                    #expect(Self.roomIDs(listed) == [room], "\(server.serverName): \(listed)")
                }
                #expect(unanswering.connections >= 1, "the first SRV target by priority is tried first")
                #expect(deprecatedService.connections == 0, "_matrix._tcp is not asked when _matrix-fed._tcp answers")

                // plain.axon.test's .well-known (port 443) was tried once and, failing, is not asked again for a while.
                let plain = try #require(servers.first { $0.server.serverName == "plain.axon.test" })
                let again = try await alice.ok("GET", "/publicRooms?server=plain.axon.test")
                #expect(Self.roomIDs(again) == [plain.room], "\(again)")
                #expect(wellKnownProbe.connections == 1)
            }
        }
        withExtendedLifetime(dns) {}
    }

    /// Starts an Axon for each placement, each with a public room, and runs `body` with them and their rooms.
    static func withFarEnds(
        _ placements: ArraySlice<FederationPeers.Placement>, ca: TestCertificateAuthority, started: [(server: FederationPeers.Peer, room: String)] = [],
        _ body: ([(server: FederationPeers.Peer, room: String)]) async throws -> Void
    ) async throws {
        guard let placement = placements.first else { return try await body(started) }
        try await FederationPeers.withAxon(ca: ca, placement: placement) { server in
            let owner = try await SuiteClient.register(server.clientURL, prefix: "owner", recordSecrets: true)
            let room = try #require(try await owner.ok("POST", "/createRoom", [
                "preset": "public_chat", "visibility": "public", "name": .string("Lobby of \(server.serverName)"),
            ])["room_id"]?.stringValue)
            try await withFarEnds(placements.dropFirst(), ca: ca, started: started + [(server, room)], body)
        }
    }

    static func withFarEnds(
        _ placements: [FederationPeers.Placement], ca: TestCertificateAuthority,
        _ body: ([(server: FederationPeers.Peer, room: String)]) async throws -> Void
    ) async throws {
        try await withFarEnds(placements[...], ca: ca, body)
    }

    static func roomIDs(_ page: JSONValue) -> [String] {
        (page["chunk"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue }
    }
}
