public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTPS request to another server, on a connection of its own: takes the endpoints in order, resolves each
/// one's host, refuses every address the outbound policy forbids, connects to the first allowed one that answers, and
/// presents the endpoint's TLS name. The answer is read whole, up to `responseLimit` bytes, within `timeout`.
public struct FederationTransport: Sendable {
    public struct Request: Sendable {
        public var method: HTTPMethod
        /// Path and query, exactly as signed.
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

    public struct Response: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]
    }

    let group: any EventLoopGroup
    let tls: NIOSSLContext
    let policy: OutboundAddressPolicy
    let addresses: HostAddresses
    let timeout: Duration
    let responseLimit: Int

    /// - Parameters:
    ///   - verifyCertificates: `federation_verify_certificates`.
    ///   - trustedAuthorities: PEM files of the authorities to trust instead of the system's (`federation_custom_ca_list`).
    ///   - addresses: how host names become addresses.
    public init(
        policy: OutboundAddressPolicy, verifyCertificates: Bool, trustedAuthorities: [String], addresses: HostAddresses = HostAddresses(),
        timeout: Duration = .seconds(60),
        responseLimit: Int = 16 * 1024 * 1024, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = verifyCertificates ? .fullVerification : .none
        if !trustedAuthorities.isEmpty {
            configuration.trustRoots = .certificates(try trustedAuthorities.flatMap { try NIOSSLCertificate.fromPEMFile($0) })
        }
        tls = try NIOSSLContext(configuration: configuration)
        self.policy = policy
        self.addresses = addresses
        self.timeout = timeout
        self.responseLimit = responseLimit
        self.group = group
    }

    /// Sends `request` to the first of `endpoints` that can be reached; the error of the last one tried when none can.
    /// - Parameter timeout: how long an endpoint may take to answer, when not the transport's own.
    public func send(_ request: Request, to endpoints: [FederationEndpoint], timeout: Duration? = nil) async throws(FederationTransportError) -> Response {
        var lastError = FederationTransportError.unresolvable("a server whose SRV records offer no federation")
        for endpoint in endpoints {
            do {
                return try await send(request, to: endpoint, timeout: timeout)
            } catch {
                switch error {
                case .unresolvable, .blockedAddress, .unreachable: lastError = error
                case .timedOut, .responseTooLarge: throw error
                }
            }
        }
        throw lastError
    }

    public func send(_ request: Request, to endpoint: FederationEndpoint, timeout: Duration? = nil) async throws(FederationTransportError) -> Response {
        let candidates: [SocketAddress]
        do {
            candidates = try await addresses.addresses(of: endpoint.host, port: endpoint.port)
        } catch {
            throw .unresolvable(endpoint.host)
        }
        let allowed = candidates.filter { $0.addressBytes.map(policy.allows) ?? false }
        guard !candidates.isEmpty else { throw .unresolvable(endpoint.host) }
        guard !allowed.isEmpty else { throw .blockedAddress(endpoint.host) }
        var lastError: FederationTransportError = .unreachable(endpoint.description)
        for address in allowed {
            do {
                return try await exchange(request, with: address, endpoint: endpoint, timeout: timeout ?? self.timeout)
            } catch let error as FederationTransportError {
                lastError = error
                if case .unreachable = error { continue }
                throw error
            } catch {
                lastError = .unreachable("\(endpoint): \(error)")
            }
        }
        throw lastError
    }

    private func exchange(_ request: Request, with address: SocketAddress, endpoint: FederationEndpoint, timeout: Duration) async throws -> Response {
        let tls = self.tls
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(10))
                .connect(to: address) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: endpoint.tlsName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw FederationTransportError.unreachable("\(endpoint) at \(address): \(error)")
        }
        let limit = responseLimit
        return try await withThrowingTaskGroup(of: Response.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target)
                    head.headers.add(name: "Host", value: endpoint.hostHeader)
                    head.headers.add(name: "Connection", value: "close")
                    head.headers.add(name: "Content-Length", value: String(request.body?.count ?? 0))
                    for (name, value) in request.headers { head.headers.add(name: name, value: value) }
                    try await outbound.write(.head(head))
                    if let body = request.body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                    try await outbound.write(.end(nil))
                    var status = 0
                    var headers = HTTPHeaders()
                    var body: [UInt8] = []
                    for try await part in inbound {
                        switch part {
                        case .head(let responseHead):
                            status = Int(responseHead.status.code)
                            headers = responseHead.headers
                        case .body(let buffer):
                            guard body.count + buffer.readableBytes <= limit else { throw FederationTransportError.responseTooLarge }
                            body += buffer.readableBytesView
                        case .end:
                            return Response(status: status, headers: headers, body: body)
                        }
                    }
                    throw FederationTransportError.unreachable("\(endpoint): the connection closed before the answer ended")
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw FederationTransportError.timedOut(endpoint.description)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw FederationTransportError.timedOut(endpoint.description) }
            return first
        }
    }
}

/// Why a request to another server got no answer.
public enum FederationTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case unresolvable(String)
    /// Every address of the host is in `ip_range_blacklist` (and not in `ip_range_whitelist`).
    case blockedAddress(String)
    case unreachable(String)
    case timedOut(String)
    case responseTooLarge

    public var description: String {
        switch self {
        case .unresolvable(let host): "\(host) does not resolve"
        case .blockedAddress(let host): "every address of \(host) is blocked by ip_range_blacklist"
        case .unreachable(let detail): "could not reach \(detail)"
        case .timedOut(let endpoint): "\(endpoint) did not answer in time"
        case .responseTooLarge: "the answer was larger than allowed"
        }
    }
}
