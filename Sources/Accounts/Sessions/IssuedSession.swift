public import MatrixTypes

/// A new login: the device it is bound to and the access token, returned to the client once and never stored.
public struct IssuedSession: Sendable {
    public let userID: UserID
    public let deviceID: String
    public let accessToken: String
}
