import MatrixTypes
import Storage

/// Resolves the access token on each authenticated request to its account.
public struct AccessTokenLookup: Sendable {
    let database: any Database

    /// The requester, or `nil` for a token that is unknown or was revoked.
    public func requester(forAccessToken token: String) async throws -> Requester? {
        let hash = TokenHash.of(token)
        guard let row = try await database.readStatement({ connection in try AccessTokensTable.find(hash: hash, in: connection) }) else {
            return nil
        }
        return Requester(userID: try UserID(row.userID), deviceID: row.deviceID, isGuest: row.isGuest, accessTokenID: row.tokenID)
    }
}
