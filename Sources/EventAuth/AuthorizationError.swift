/// Why the authorisation rules refuse an event. The event is rejected (or soft-failed, depending on which state it
/// was checked against); `message` names the rule for logs and for the `M_FORBIDDEN` reply to a local client.
public struct AuthorizationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
