/// A configured secret (shared secrets, passwords). Printing, interpolating, dumping or mirroring it shows
/// `<redacted>`, so logging a whole config never leaks one; code that needs it reads `revealed`.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself. Only code that uses the secret (HMAC, connection strings) should read this.
    public let revealed: String

    public init(_ value: String) {
        revealed = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
