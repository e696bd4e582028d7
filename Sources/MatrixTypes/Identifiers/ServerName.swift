/// A homeserver's name (appendix "Server Name"): a DNS name, IPv4 literal or bracketed IPv6 literal, with an
/// optional port. Compared case-sensitively, as the spec requires.
public struct ServerName: MatrixIdentifier {
    public enum HostKind: Sendable, Hashable {
        case dnsName
        case ipv4
        case ipv6
    }

    public let rawValue: String
    /// The host without the port; an IPv6 literal keeps its brackets.
    public let host: String
    public let hostKind: HostKind
    public let port: Int?

    public init(_ string: String) throws(IdentifierError) {
        let (host, portText) = try Self.splitPort(string)
        if let portText {
            guard (1 ... 5).contains(portText.utf8.count), portText.utf8.allSatisfy(Self.isDigit),
                  let port = Int(portText), port <= 65535
            else { throw IdentifierError("Server name '\(string)' has an invalid port") }
            self.port = port
        } else {
            self.port = nil
        }
        if host.utf8.first == UInt8(ascii: "[") {
            let address = Substring(host.unicodeScalars.dropFirst().dropLast())
            guard host.utf8.last == UInt8(ascii: "]"), (2 ... 45).contains(address.utf8.count), IPAddress.parseIPv6(address) != nil else {
                throw IdentifierError("Server name '\(string)' has an invalid IPv6 literal")
            }
            hostKind = .ipv6
        } else if IPAddress.parseIPv4(host) != nil {
            hostKind = .ipv4
        } else {
            guard (1 ... 255).contains(host.utf8.count), host.utf8.allSatisfy(Self.isDNSCharacter) else {
                throw IdentifierError("Server name '\(string)' is not a valid host name")
            }
            hostKind = .dnsName
        }
        rawValue = string
        self.host = String(host)
    }

    /// Splits off the port: after the closing bracket for IPv6, otherwise after the only colon. Works on code
    /// points, so a combining mark cannot merge with a bracket or colon and hide it.
    private static func splitPort(_ string: String) throws(IdentifierError) -> (host: Substring, port: Substring?) {
        let scalars = string.unicodeScalars
        if scalars.first == "[" {
            guard let close = scalars.firstIndex(of: "]") else {
                throw IdentifierError("Server name '\(string)' has an unterminated IPv6 literal")
            }
            let afterBracket = scalars.index(after: close)
            let rest = scalars[afterBracket...]
            if rest.isEmpty { return (Substring(string), nil) }
            guard rest.first == ":" else { throw IdentifierError("Server name '\(string)' has text after its IPv6 literal") }
            return (Substring(scalars[..<afterBracket]), Substring(rest.dropFirst()))
        }
        let parts = scalars.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (Substring(parts[0]), nil)
        case 2: return (Substring(parts[0]), Substring(parts[1]))
        default: throw IdentifierError("Server name '\(string)' has more than one ':'")
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isDNSCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "A") ... UInt8(ascii: "Z"),
             UInt8(ascii: "0") ... UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."): true
        default: false
        }
    }
}
