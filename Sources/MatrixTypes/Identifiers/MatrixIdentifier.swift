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
///
/// Everything here works on bytes (equivalently, code points), never on `Character`s: a combining mark after the
/// sigil or a colon would otherwise join it into one grapheme, hiding the sigil or the separator.
enum SigilledIdentifier {
    /// The spec's limit on user IDs, room IDs, aliases and event IDs, sigil and domain included.
    static let maximumByteCount = 255

    /// Splits `&localpart:domain` at the first `:` code point, after checking the sigil and the overall length;
    /// the domain must be a valid server name.
    static func split(
        _ string: String,
        sigil: Unicode.Scalar,
        kind: String
    ) throws(IdentifierError) -> (localpart: String, serverName: ServerName) {
        let parts = try parts(of: string, sigil: sigil, kind: kind)
        do {
            return (parts.localpart, try ServerName(parts.domain))
        } catch {
            throw IdentifierError("\(kind) '\(string)' has an invalid server name: \(error.message)")
        }
    }

    /// The localpart and the unvalidated domain, split at the first `:` code point exactly as Synapse's
    /// `DomainSpecificString.from_string` splits them: `@a:\u{301}b:x` has the domain `\u{301}b:x`.
    static func parts(
        of string: String,
        sigil: Unicode.Scalar,
        kind: String
    ) throws(IdentifierError) -> (localpart: String, domain: String) {
        try checkSigilAndLength(string, sigil: sigil, kind: kind)
        let body = string.unicodeScalars.dropFirst()
        guard let colon = body.firstIndex(of: ":") else {
            throw IdentifierError("\(kind) '\(string)' has no ':' before its server name")
        }
        let localpart = body[..<colon]
        guard !localpart.contains("\0") else {
            throw IdentifierError("\(kind) '\(string)' contains a NUL character")
        }
        return (String(localpart), String(body[body.index(after: colon)...]))
    }

    static func checkSigilAndLength(_ string: String, sigil: Unicode.Scalar, kind: String) throws(IdentifierError) {
        guard string.unicodeScalars.first == sigil else {
            throw IdentifierError("\(kind) '\(string)' must start with '\(sigil)'")
        }
        guard string.utf8.count <= maximumByteCount else {
            throw IdentifierError("\(kind) is longer than \(maximumByteCount) bytes")
        }
    }

    /// Whether `string` holds a `:` code point (a `Character` search misses one that a combining mark follows).
    static func hasColon(_ string: String) -> Bool {
        string.utf8.contains(UInt8(ascii: ":"))
    }

    /// Everything after the one-byte sigil, code points intact.
    static func afterSigil(_ string: String) -> Substring {
        Substring(string.unicodeScalars.dropFirst())
    }
}
