import MatrixTypes

/// A CIDR range from `ip_range_blacklist`, `ip_range_whitelist` or the URL-preview lists. A bare address is
/// a single-host range, as in Synapse.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// Network-order address bytes: 4 for IPv4, 16 for IPv6.
    public let address: [UInt8]
    public let prefixLength: Int

    /// Parses `10.0.0.0/8`, `::1/128`, `192.168.1.7`; `nil` if the text is not a valid range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress.parse(parts[0]) else { return nil }
        let maximum = address.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(parts[1]), length <= maximum else {
                return nil
            }
            prefix = length
        }
        self.address = address
        self.prefixLength = prefix
    }

    /// Whether `candidate` (network-order bytes of the same family) lies in this range.
    public func contains(_ candidate: [UInt8]) -> Bool {
        guard candidate.count == address.count else { return false }
        var remaining = prefixLength
        for (lhs, rhs) in zip(address, candidate) where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if lhs & mask != rhs & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String {
        let text = address.count == 4 ? address.map(String.init).joined(separator: ".") : Self.ipv6Text(address)
        return "\(text)/\(prefixLength)"
    }

    /// RFC 5952 form: lowercase hex groups, the longest run of two or more zero groups written as `::`.
    private static func ipv6Text(_ bytes: [UInt8]) -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
        var best = (start: 0, length: 0)
        var start = 0
        while start < groups.count {
            var end = start
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - start > best.length { best = (start, end - start) }
            start = end + 1
        }
        let hex = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.length)...].joined(separator: ":")
        return "\(head)::\(tail)"
    }
}
