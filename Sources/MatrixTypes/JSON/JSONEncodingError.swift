/// A value that canonical JSON cannot represent (a non-integral or out-of-range number).
public struct JSONEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
