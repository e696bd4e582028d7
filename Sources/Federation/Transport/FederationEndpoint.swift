public import MatrixTypes

/// Where an outbound request goes (for federation, as server-name resolution found it): the host to connect to (a
/// name to look up, or an IP literal) and its port, the `Host` header, and the name its TLS certificate must be valid for.
public struct FederationEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// A host name to look up, or an IP address (IPv6 without brackets).
    public var host: String
    public var port: Int
    public var hostHeader: String
    /// The certificate's name and the TLS server name indication; `nil` for an IP literal, whose certificate must
    /// name the address connected to.
    public var tlsName: String?

    public init(host: String, port: Int, hostHeader: String, tlsName: String?) {
        self.host = host
        self.port = port
        self.hostHeader = hostHeader
        self.tlsName = tlsName
    }

    /// A server name used as it is: its host (an IP literal without brackets) on its port or `defaultPort`, presenting
    /// the name in `Host` and, for a DNS name, as the TLS name.
    public init(server: ServerName, defaultPort: Int) {
        let literal = server.hostKind == .ipv6 ? String(server.host.dropFirst().dropLast()) : server.host
        self.init(
            host: literal, port: server.port ?? defaultPort, hostHeader: server.rawValue, tlsName: server.hostKind == .dnsName ? server.host : nil
        )
    }

    public var description: String {
        "\(host.contains(":") ? "[\(host)]" : host):\(port) (Host: \(hostHeader))"
    }
}
