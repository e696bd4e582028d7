/// Behaviour shared by the sigilled identifiers and server names.
///
/// Equality, hashing and ordering use the exact UTF-8 bytes: Swift's `String ==` treats canonically equivalent
/// strings as equal, but Matrix identifiers are compared byte for byte (and sorted by code point in state resolution).
public protocol MatrixIdentifier: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The identifier exactly as it appears on the wire.
    var rawValue: String { get }

    /// Validates `string` against the identifier's grammar.
    init(_ string: String) throws(IdentifierError)
}

extension MatrixIdentifier {
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.elementsEqual(rhs.rawValue.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        for byte in rawValue.utf8 { hasher.combine(byte) }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(string)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The `&localpart:domain` shape shared by user IDs, room aliases and older room and event IDs.
enum SigilledIdentifier {
    /// The spec's limit on user IDs, room IDs, aliases and event IDs, sigil and domain included.
    static let maximumByteCount = 255

    /// Splits `&localpart:domain` at the first colon, after checking the sigil and the overall length.
    static func split(
        _ string: String,
        sigil: Character,
        kind: String
    ) throws(IdentifierError) -> (localpart: Substring, serverName: ServerName) {
        try checkSigilAndLength(string, sigil: sigil, kind: kind)
        let body = string.dropFirst()
        guard let colon = body.firstIndex(of: ":") else {
            throw IdentifierError("\(kind) '\(string)' has no ':' before its server name")
        }
        let localpart = body[..<colon]
        guard !localpart.unicodeScalars.contains("\0") else {
            throw IdentifierError("\(kind) '\(string)' contains a NUL character")
        }
        let serverName: ServerName
        do {
            serverName = try ServerName(String(body[body.index(after: colon)...]))
        } catch {
            throw IdentifierError("\(kind) '\(string)' has an invalid server name: \(error.message)")
        }
        return (localpart, serverName)
    }

    static func checkSigilAndLength(_ string: String, sigil: Character, kind: String) throws(IdentifierError) {
        guard string.first == sigil else { throw IdentifierError("\(kind) '\(string)' must start with '\(sigil)'") }
        guard string.utf8.count <= maximumByteCount else {
            throw IdentifierError("\(kind) is longer than \(maximumByteCount) bytes")
        }
    }
}
