public import MatrixTypes

/// The identifier of a piece of media, as it appears in `mxc://<server>/<id>`. The spec allows `[A-Za-z0-9_-]`;
/// anything else is no media of ours, and never reaches a file path.
public struct MediaID: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    /// `nil` for text that cannot name media (empty, too long, or outside the spec's alphabet).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard (1...255).contains(bytes.count), bytes.allSatisfy(Self.isAllowed) else { return nil }
        rawValue = text
    }

    /// A new ID for an upload: 24 random letters, as Synapse draws them.
    public static func random() -> MediaID {
        guard let id = MediaID(SecureRandom.letters(24)) else { preconditionFailure("random letters are a valid media ID") }
        return id
    }

    public var description: String { rawValue }

    /// `mxc://<server>/<id>`.
    public func uri(on server: ServerName) -> String {
        "mxc://\(server.rawValue)/\(rawValue)"
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
