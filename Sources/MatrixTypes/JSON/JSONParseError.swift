/// Why a byte sequence is not acceptable JSON. `message` is written for the client that sent it
/// (it becomes the `error` of an `M_NOT_JSON` response).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// Offset of the offending byte in the input.
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) at byte \(offset)" }
}
