/// The account behind a request's access token.
public struct Requester: Sendable, Hashable {
    public let userID: UserID
    public let deviceID: String
    public let isGuest: Bool
    /// The token's row: logging out revokes exactly this token, and a password change keeps it alive.
    public let accessTokenID: Int64

    public init(userID: UserID, deviceID: String, isGuest: Bool, accessTokenID: Int64) {
        self.userID = userID
        self.deviceID = deviceID
        self.isGuest = isGuest
        self.accessTokenID = accessTokenID
    }
}

/// Turns an access token into the account behind it; the HTTP responder calls it before any authenticated handler,
/// and the accounts implement it.
public protocol AccessTokenResolver: Sendable {
    /// `nil` for a token that is unknown or was revoked.
    func requester(forAccessToken token: String) async throws -> Requester?
}
