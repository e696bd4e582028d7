/// Why a string is not a valid Matrix identifier; `message` is suitable for an `M_INVALID_PARAM` or `M_BAD_JSON` reply.
public struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
