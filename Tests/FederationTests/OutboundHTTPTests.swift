import AxonTesting
import Federation
import MatrixTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// The shared outbound exchange against a plain-HTTP site on loopback: what a streaming caller is handed, and when
/// nothing is connected to at all.
@Suite struct OutboundHTTPTests {
    static func http(allowing allowed: [UInt8]) throws -> OutboundHTTP {
        try OutboundHTTP(policy: OutboundAddressPolicy { $0 == allowed })
    }

    static func endpoint(_ site: LoopbackSite) -> FederationEndpoint {
        FederationEndpoint(host: site.host, port: site.port, hostHeader: "\(site.host):\(site.port)", tlsName: nil)
    }

    @Test func theHeadComesFirstThenTheBodyInChunks() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        let body = (0..<5000).map { UInt8(truncatingIfNeeded: $0) }
        site.serve("/stream", .init(headers: [("Content-Type", "application/octet-stream")], body: body, chunked: true))
        let seen = Mutex<[String]>([])
        let received = Mutex<[UInt8]>([])

        try await Self.http(allowing: [127, 0, 0, 2]).exchange(.init(method: .GET, target: "/stream?x=1"), to: Self.endpoint(site), tls: false, timeout: .seconds(10)) {
            status, headers in
            seen.withLock { $0.append("head \(status) \(headers.first(name: "Content-Type") ?? "")") }
        } onBody: { chunk in
            seen.withLock { $0.append("body") }
            received.withLock { $0 += chunk.readableBytesView }
        }

        let events = seen.withLock { $0 }
        #expect(events.first == "head 200 application/octet-stream")
        #expect(events.dropFirst().allSatisfy { $0 == "body" } && events.count > 2)
        #expect(received.withLock { $0 } == body)
        #expect(site.received.map(\.target) == ["/stream?x=1"])
        #expect(site.received.first?.headers["Host"] == ["127.0.0.2:\(site.port)"])
    }

    @Test func aCallbacksErrorReachesTheCallerAsItWas() async throws {
        struct Enough: Error, Equatable {}
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/big", .init(body: Array(repeating: 1, count: 100_000), chunked: true))
        let chunks = Atomic<Int>(0)

        await #expect(throws: Enough()) {
            try await Self.http(allowing: [127, 0, 0, 2]).exchange(.init(method: .GET, target: "/big"), to: Self.endpoint(site), tls: false, timeout: .seconds(10)) {
                _, _ in
            } onBody: { _ in
                chunks.add(1, ordering: .relaxed)
                throw Enough()
            }
        }
        #expect(chunks.load(ordering: .relaxed) == 1)
    }

    @Test func aWholeAnswerIsReadUpToItsLimit() async throws {
        let site = try await LoopbackSite(host: "127.0.0.2")
        site.serve("/small", .html("<p>small</p>"))
        site.serve("/large", .html(String(repeating: "x", count: 2000)))
        let http = try Self.http(allowing: [127, 0, 0, 2])

        let small = try await http.fetch(.init(method: .GET, target: "/small"), to: Self.endpoint(site), tls: false, timeout: .seconds(10), limit: 1000)
        #expect(small.status == 200 && small.body == Array("<p>small</p>".utf8))
        await #expect(throws: OutboundHTTPError.responseTooLarge) {
            try await http.fetch(.init(method: .GET, target: "/large"), to: Self.endpoint(site), tls: false, timeout: .seconds(10), limit: 1000)
        }
    }

    @Test func aRefusedAddressIsNeverConnectedTo() async throws {
        let site = try await LoopbackSite(host: "127.0.0.1")
        site.serve("/", .html("<p>inside</p>"))

        await #expect(throws: OutboundHTTPError.blockedAddress("127.0.0.1")) {
            try await Self.http(allowing: [127, 0, 0, 2]).fetch(.init(method: .GET, target: "/"), to: Self.endpoint(site), tls: false, timeout: .seconds(10), limit: 1000)
        }
        await #expect(throws: OutboundHTTPError.blockedAddress("localhost")) {
            let named = FederationEndpoint(host: "localhost", port: site.port, hostHeader: "localhost", tlsName: "localhost")
            try await Self.http(allowing: [127, 0, 0, 2]).fetch(.init(method: .GET, target: "/"), to: named, tls: true, timeout: .seconds(10), limit: 1000)
        }
        #expect(site.connections == 0)
    }
}
