public import NIOCore
import NIOPosix
import NIOSSL

/// One HTTPS request to another server over `OutboundHTTP`: takes the endpoints in order, connects to the first
/// allowed address that answers, and presents the endpoint's TLS name. The answer is read whole, up to
/// `responseLimit` bytes, within `timeout`.
public struct FederationTransport: Sendable {
    /// The exchange under this transport, with federation's TLS settings and address policy, for answers read as
    /// they arrive (remote media into files).
    public let http: OutboundHTTP
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
        configuration.certificateVerification = verifyCertificates ? .fullVerification : .none
        if !trustedAuthorities.isEmpty {
            configuration.trustRoots = .certificates(try trustedAuthorities.flatMap { try NIOSSLCertificate.fromPEMFile($0) })
        }
        http = try OutboundHTTP(policy: policy, tls: configuration, addresses: addresses, group: group)
        self.timeout = timeout
        self.responseLimit = responseLimit
    }

    /// Sends `request` to the first of `endpoints` that can be reached; the error of the last one tried when none can.
    /// - Parameter timeout: how long an endpoint may take to answer, when not the transport's own.
    public func send(_ request: OutboundHTTP.Request, to endpoints: [FederationEndpoint], timeout: Duration? = nil) async throws(OutboundHTTPError) -> OutboundHTTP.Response {
        var lastError = OutboundHTTPError.unresolvable("a server whose SRV records offer no federation")
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

    public func send(_ request: OutboundHTTP.Request, to endpoint: FederationEndpoint, timeout: Duration? = nil) async throws(OutboundHTTPError) -> OutboundHTTP.Response {
        try await http.fetch(request, to: endpoint, tls: true, timeout: timeout ?? self.timeout, limit: responseLimit)
    }
}
