/// IPv4 and IPv6 text parsing without touching the network stack: server names, configured address ranges
/// and the addresses outbound requests resolve to all use it. Results are network-order bytes: 4 for IPv4,
/// 16 for IPv6.
///
/// Addresses are ASCII; anything else is refused before splitting, so a combining mark can never merge with a `.`
/// or `:` into one `Character` and hide a separator.
public enum IPAddress {
    public static func parse(_ text: some StringProtocol) -> [UInt8]? {
        text.utf8.contains(UInt8(ascii: ":")) ? parseIPv6(text) : parseIPv4(text)
    }

    public static func parseIPv4(_ text: some StringProtocol) -> [UInt8]? {
        guard isASCII(text) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(isDecimalDigit), let byte = UInt8(part) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// RFC 4291 text forms, including `::` compression and a trailing dotted IPv4 part.
    public static func parseIPv6(_ text: some StringProtocol) -> [UInt8]? {
        guard isASCII(text) else { return nil }
        let halves = Substring(text).split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return nil }
        guard let head = groups(halves[0], endsAddress: halves.count == 1) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1], endsAddress: true) : []
        guard let tail else { return nil }
        let total = head.count + tail.count
        if halves.count == 2 {
            guard total <= 14 else { return nil }
            return head + [UInt8](repeating: 0, count: 16 - total) + tail
        }
        return total == 16 ? head : nil
    }

    /// Bytes of colon-separated hex groups; when they end the address the last may be a dotted IPv4 address.
    private static func groups(_ text: Substring, endsAddress: Bool) -> [UInt8]? {
        if text.isEmpty { return [] }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if endsAddress, index == parts.count - 1, part.contains(".") {
                guard let v4 = parseIPv4(part) else { return nil }
                bytes += v4
            } else {
                guard (1...4).contains(part.utf8.count), part.utf8.allSatisfy(isHexDigit), let group = UInt16(part, radix: 16) else {
                    return nil
                }
                bytes += [UInt8(group >> 8), UInt8(group & 0xFF)]
            }
        }
        return bytes
    }

    private static func isASCII(_ text: some StringProtocol) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDecimalDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
