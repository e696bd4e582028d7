public import MatrixTypes

/// A new (or, for a retried request, already created) account and, unless login was inhibited, its first session.
public struct RegistrationResult: Sendable {
    public let userID: UserID
    public let session: IssuedSession?
}
