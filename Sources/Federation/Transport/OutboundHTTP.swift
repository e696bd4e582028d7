public import NIOCore
public import NIOHTTP1
import NIOPosix
public import NIOSSL

/// One HTTP/1.1 request to a server on this server's own behalf (federation, URL previews, remote media), on a
/// connection of its own. The endpoint's host is resolved, every address it has is checked against the outbound
/// policy, and the connection goes to an allowed address itself, so a name that resolves differently later (DNS
/// rebinding) cannot move it. Plain `http`, or TLS presenting and verifying the endpoint's TLS name.
public struct OutboundHTTP: Sendable {
    public struct Request: Sendable {
        public var method: HTTPMethod
        /// Path and query, exactly as sent (and, for federation, signed).
        public var target: String
        public var headers: [(String, String)]
        public var body: [UInt8]?

        public init(method: HTTPMethod, target: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
            self.method = method
            self.target = target
            self.headers = headers
            self.body = body
        }
    }

    /// An answer read whole.
    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    let group: any EventLoopGroup
    let tls: NIOSSLContext
    let policy: OutboundAddressPolicy
    let addresses: HostAddresses

    /// - Parameters:
    ///   - policy: the addresses that may be connected to.
    ///   - tls: how TLS connections verify the server (TLS 1.2 at least); the system's authorities and full verification
    ///     by default.
    ///   - addresses: how host names become addresses.
    public init(
        policy: OutboundAddressPolicy, tls: TLSConfiguration = .makeClientConfiguration(), addresses: HostAddresses = HostAddresses(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        var configuration = tls
        configuration.minimumTLSVersion = .tlsv12
        self.tls = try NIOSSLContext(configuration: configuration)
        self.policy = policy
        self.addresses = addresses
        self.group = group
    }

    /// Sends `request` to `endpoint` and hands the answer over as it arrives: `onHead` gets the status and headers
    /// before any of the body, then `onBody` each chunk of the body in order; it returns once the answer has ended.
    /// Either callback may throw to abandon the answer (the connection is closed). The addresses of the endpoint's host
    /// are tried in turn while none has answered.
    /// - Parameters:
    ///   - tls: whether to speak TLS, presenting `endpoint.tlsName` (the address itself when `nil`).
    ///   - timeout: how long the whole exchange may take once connected.
    /// - Throws: `OutboundHTTPError`, or what a callback threw.
    public func exchange(
        _ request: Request, to endpoint: FederationEndpoint, tls: Bool, timeout: Duration,
        onHead: @escaping @Sendable (_ status: Int, _ headers: HTTPHeaders) throws -> Void,
        onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        let candidates: [SocketAddress]
        do {
            candidates = try await addresses.addresses(of: endpoint.host, port: endpoint.port)
        } catch {
            throw OutboundHTTPError.unresolvable(endpoint.host)
        }
        let allowed = candidates.filter { $0.addressBytes.map(policy.allows) ?? false }
        guard !candidates.isEmpty else { throw OutboundHTTPError.unresolvable(endpoint.host) }
        guard !allowed.isEmpty else { throw OutboundHTTPError.blockedAddress(endpoint.host) }
        var lastError = OutboundHTTPError.unreachable(endpoint.description)
        for address in allowed {
            let answered = HeadSeen()
            do {
                try await exchange(request, with: address, endpoint: endpoint, tls: tls, timeout: timeout) { status, headers in
                    answered.seen = true
                    try onHead(status, headers)
                } onBody: {
                    try await onBody($0)
                }
                return
            } catch let failure as CallerFailure {
                throw failure.error
            } catch let error as OutboundHTTPError {
                guard case .unreachable = error, !answered.seen else { throw error }
                lastError = error
            } catch {
                // The connection failed under way (TLS refused, reset): another address may do better if none answered.
                lastError = .unreachable("\(endpoint) at \(address): \(error)")
                if answered.seen { throw lastError }
            }
        }
        throw lastError
    }

    /// Sends `request` to `endpoint` and reads the answer whole, up to `limit` bytes of body.
    public func fetch(
        _ request: Request, to endpoint: FederationEndpoint, tls: Bool, timeout: Duration, limit: Int
    ) async throws(OutboundHTTPError) -> Response {
        let collected = Collected()
        do {
            try await exchange(request, to: endpoint, tls: tls, timeout: timeout) { status, headers in
                collected.head = (status, headers)
            } onBody: { buffer in
                guard collected.body.count + buffer.readableBytes <= limit else { throw OutboundHTTPError.responseTooLarge }
                collected.body += buffer.readableBytesView
            }
        } catch let error as OutboundHTTPError {
            throw error
        } catch {
            throw .unreachable("\(endpoint): \(error)")
        }
        return Response(status: collected.head.status, headers: collected.head.headers, body: collected.body)
    }

    private func exchange(
        _ request: Request, with address: SocketAddress, endpoint: FederationEndpoint, tls useTLS: Bool, timeout: Duration,
        onHead: @escaping @Sendable (Int, HTTPHeaders) throws -> Void, onBody: @escaping @Sendable (ByteBuffer) async throws -> Void
    ) async throws {
        let tls = useTLS ? self.tls : nil
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: endpoint.tlsName))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw OutboundHTTPError.unreachable("\(endpoint) at \(address): \(error)")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target)
                    head.headers.add(name: "Host", value: endpoint.hostHeader)
                    head.headers.add(name: "Connection", value: "close")
                    head.headers.add(name: "Content-Length", value: String(request.body?.count ?? 0))
                    for (name, value) in request.headers { head.headers.add(name: name, value: value) }
                    // In one write, so a server that answers and closes as soon as it has read the head still gets it all.
                    let body: [HTTPClientRequestPart] = request.body.map { [.body(.byteBuffer(ByteBuffer(bytes: $0)))] } ?? []
                    try await outbound.write(contentsOf: [.head(head)] + body + [.end(nil)])
                    for try await part in inbound {
                        switch part {
                        case .head(let responseHead):
                            do { try onHead(Int(responseHead.status.code), responseHead.headers) } catch { throw CallerFailure(error: error) }
                        case .body(let buffer):
                            do { try await onBody(buffer) } catch { throw CallerFailure(error: error) }
                        case .end:
                            return
                        }
                    }
                    throw OutboundHTTPError.unreachable("\(endpoint): the connection closed before the answer ended")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw OutboundHTTPError.timedOut(endpoint.description)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}

/// Whether an attempt's answer reached the caller, after which another address must not be tried.
private final class HeadSeen: @unchecked Sendable {
    // Written and read by one exchange in turn, never at once.
    var seen = false
}

/// An error a caller's callback threw, passed on to it as it was.
private struct CallerFailure: Error {
    let error: any Error
}

/// The answer `fetch` gathers from its callbacks, which run one after the other.
private final class Collected: @unchecked Sendable {
    var head: (status: Int, headers: HTTPHeaders) = (0, HTTPHeaders())
    var body: [UInt8] = []
}

/// Why a request to another server got no (whole) answer.
public enum OutboundHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case unresolvable(String)
    /// Every address of the host is refused by the outbound address policy.
    case blockedAddress(String)
    case unreachable(String)
    case timedOut(String)
    case responseTooLarge

    public var description: String {
        switch self {
        case .unresolvable(let host): "\(host) does not resolve"
        case .blockedAddress(let host): "every address of \(host) is blocked by the IP range blacklist"
        case .unreachable(let detail): "could not reach \(detail)"
        case .timedOut(let endpoint): "\(endpoint) did not answer in time"
        case .responseTooLarge: "the answer was larger than allowed"
        }
    }
}
