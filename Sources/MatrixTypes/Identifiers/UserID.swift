/// A user ID, `@localpart:server`.
///
/// Parsing accepts the historical grammar (any localpart without `:` or NUL, even empty) because such users
/// exist in rooms and their events must still be accepted over federation; ``hasStrictLocalpart`` and
/// ``isCompliant`` tell callers when a stricter rule applies (registration, forwarding to clients).
public struct UserID: MatrixIdentifier {
    public let rawValue: String
    public let localpart: String
    public let serverName: ServerName

    public init(_ string: String) throws(IdentifierError) {
        let parts = try SigilledIdentifier.split(string, sigil: "@", kind: "User ID")
        rawValue = string
        localpart = parts.localpart
        serverName = parts.serverName
    }

    public init(localpart: String, serverName: ServerName) throws(IdentifierError) {
        try self.init("@\(localpart):\(serverName.rawValue)")
    }

    /// Whether the localpart follows the current grammar (`a-z 0-9 . _ = - / +`, non-empty),
    /// which is what new accounts must use.
    public var hasStrictLocalpart: Bool { Self.isStrictLocalpart(localpart) }

    /// Whether the spec counts this ID as compliant: a non-empty localpart within U+0021...U+007E.
    public var isCompliant: Bool {
        !localpart.isEmpty && localpart.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    public static func isStrictLocalpart(_ localpart: some StringProtocol) -> Bool {
        !localpart.isEmpty && localpart.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a") ... UInt8(ascii: "z"), UInt8(ascii: "0") ... UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: "-"),
                 UInt8(ascii: "/"), UInt8(ascii: "+"): true
            default: false
            }
        }
    }
}
