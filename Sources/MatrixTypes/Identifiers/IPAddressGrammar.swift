/// Textual IP address grammars used by server names: dotted-quad IPv4 and RFC 3513 §2.2 IPv6.
enum IPAddressGrammar {
    /// Four decimal numbers of one to three digits, each at most 255.
    static func isIPv4(_ text: Substring) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { octet in
            (1 ... 3).contains(octet.utf8.count)
                && octet.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                && (Int(octet).map { $0 <= 255 } ?? false)
        }
    }

    /// Eight groups of one to four hex digits, at most one `::` standing for one or more zero groups,
    /// and optionally a dotted-quad IPv4 address as the last 32 bits.
    static func isIPv6(_ text: Substring) -> Bool {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        switch halves.count {
        case 1:
            return groupCount(halves[0], endsAddress: true) == 8
        case 2:
            guard let head = groupCount(halves[0], endsAddress: false),
                  let tail = groupCount(halves[1], endsAddress: true)
            else { return false }
            return head + tail <= 7
        default:
            return false
        }
    }

    /// The number of 16-bit groups in a colon-separated run, or `nil` when a group is malformed.
    private static func groupCount(_ run: Substring, endsAddress: Bool) -> Int? {
        if run.isEmpty { return 0 }
        let groups = run.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (index, group) in groups.enumerated() {
            if endsAddress, index == groups.count - 1, group.contains(".") {
                guard isIPv4(group) else { return nil }
                count += 2
            } else {
                guard (1 ... 4).contains(group.utf8.count), group.utf8.allSatisfy(isHexDigit) else { return nil }
                count += 1
            }
        }
        return count
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "a") ... UInt8(ascii: "f"),
             UInt8(ascii: "A") ... UInt8(ascii: "F"): true
        default: false
        }
    }
}
