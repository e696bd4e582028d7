public import Accounts

/// Turns an access token into the account behind it; the responder calls it before any authenticated handler.
public protocol AccessTokenResolver: Sendable {
    /// `nil` for a token that is unknown or was revoked.
    func requester(forAccessToken token: String) async throws -> Requester?
}

extension AccessTokenLookup: AccessTokenResolver {}
