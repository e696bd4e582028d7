import AxonTesting
import Federation
import NIOCore
import Testing

/// `DNSClient` against a real name server: a loopback `dnsmasq`.
@Suite(.enabled(if: LoopbackDNS.isAvailable, "needs dnsmasq (make test-deps)"))
struct DNSClientTests {
    /// Generous per-try time: these tests are about what is asked and read, and the whole suite runs beside them on two
    /// cores (a truncated answer asked again over TCP once took longer than the default 3 s twice in a row).
    static let attemptTimeout = Duration.seconds(20)

    @Test func recordsAndAbsentNamesAreRead() async throws {
        let dns = try await LoopbackDNS(
            domain: "axon.test", addresses: ["host.axon.test": "127.0.0.9"],
            services: [.init("_matrix-fed._tcp.host.axon.test", target: "host.axon.test", port: 8448, priority: 5, weight: 7)]
        )
        let client = DNSClient(servers: [try SocketAddress(ipAddress: "127.0.0.1", port: dns.port)], attemptTimeout: Self.attemptTimeout)
        guard case .records(let addresses) = try await client.lookUp("host.axon.test", type: .a) else { Issue.record("no A records"); return }
        #expect(addresses.compactMap { if case .address(let bytes, _) = $0 { bytes } else { nil } } == [[127, 0, 0, 9] as [UInt8]])
        guard case .records(let services) = try await client.lookUp("_matrix-fed._tcp.host.axon.test", type: .srv) else {
            Issue.record("no SRV records")
            return
        }
        let records = services.compactMap { if case .service(let record) = $0 { record } else { nil } }
        #expect(records.map { "\($0.priority) \($0.weight) \($0.port) \($0.target)" } == ["5 7 8448 host.axon.test"])
        #expect(try await client.lookUp("missing.axon.test", type: .a) == .noSuchName)
        withExtendedLifetime(dns) {}
    }

    /// Too many records for the 1232 bytes announced: the server sets the truncation bit and the client asks again over
    /// TCP, getting every record.
    @Test func aTruncatedAnswerIsAskedAgainOverTCP() async throws {
        let count = 80
        let services = (0..<count).map {
            LoopbackDNS.Service("_matrix-fed._tcp.big.axon.test", target: "server-number-\($0).axon.test", port: 8000 + $0, priority: 10, weight: 1)
        }
        let dns = try await LoopbackDNS(domain: "axon.test", addresses: [:], services: services)
        let client = DNSClient(servers: [try SocketAddress(ipAddress: "127.0.0.1", port: dns.port)], attemptTimeout: Self.attemptTimeout)
        guard case .records(let found) = try await client.lookUp("_matrix-fed._tcp.big.axon.test", type: .srv) else {
            Issue.record("no SRV records")
            return
        }
        let ports = Set(found.compactMap { if case .service(let record) = $0 { record.port } else { nil } })
        #expect(ports == Set((0..<count).map { 8000 + $0 }))
        withExtendedLifetime(dns) {}
    }
}
