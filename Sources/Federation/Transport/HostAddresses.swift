#if canImport(Glibc)
import Glibc
#endif
import MatrixTypes
public import NIOCore
import NIOPosix

/// Looks a host name up into every address it has, or reads an IP literal without any lookup: with the system's
/// resolver (getaddrinfo, on NIO's thread pool: it blocks; `/etc/hosts` applies), or, when name servers are
/// configured (`federation_dns_servers`), by asking them for its AAAA and A records.
public struct HostAddresses: Sendable {
    let dns: DNSClient?

    public init(dns: DNSClient? = nil) {
        self.dns = dns
    }

    /// Every address of `host` on `port`, IP literals as themselves; empty when the name has none.
    public func addresses(of host: String, port: Int) async throws -> [SocketAddress] {
        if IPAddress.parse(host) != nil { return [try SocketAddress(ipAddress: host, port: port)] }
        if let dns {
            // One family failing (a name server that mishandles AAAA) leaves the other's addresses usable.
            async let ipv6 = try? dns.lookUp(host, type: .aaaa)
            let ipv4: DNSMessage.Answer?
            do {
                ipv4 = try await dns.lookUp(host, type: .a)
            } catch {
                guard await ipv6 != nil else { throw error }
                ipv4 = nil
            }
            return try [await ipv6, ipv4].compactMap { $0 }.flatMap { answer -> [SocketAddress] in
                guard case .records(let records) = answer else { return [] }
                return try records.compactMap { record in
                    guard case .address(let bytes, _) = record else { return nil }
                    return try SocketAddress(packedIPAddress: ByteBuffer(bytes: bytes), port: port)
                }
            }
        }
        return try await NIOThreadPool.singleton.runIfActive {
            try Self.lookUp(host, port: port)
        }
    }

    private static func lookUp(_ host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var current: UnsafeMutablePointer<addrinfo>? = first
        while let entry = current {
            if let address = entry.pointee.ai_addr {
                switch entry.pointee.ai_family {
                case AF_INET:
                    addresses.append(address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                case AF_INET6:
                    addresses.append(address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: host) })
                default:
                    break
                }
            }
            current = entry.pointee.ai_next
        }
        return addresses
    }
}

extension SocketAddress {
    /// The address as 4 or 16 bytes, for the outbound policy.
    var addressBytes: [UInt8]? {
        ipAddress.flatMap { IPAddress.parse($0) }
    }
}
