import MatrixTypes
import Storage

/// Resolves the access token on each authenticated request to its account, from the cache when it holds it.
public struct AccessTokenLookup: AccessTokenResolver {
    let database: any Database
    let cache: AccessTokenCache

    /// The requester, or `nil` for a token that is unknown or was revoked.
    public func requester(forAccessToken token: String) async throws -> Requester? {
        let hash = TokenHash.of(token)
        if let known = cache.requester(forHash: hash) { return known }
        let generation = cache.generation()
        guard let row = try await database.readStatement({ connection in try AccessTokensTable.find(hash: hash, in: connection) }) else {
            return nil
        }
        let requester = Requester(userID: try UserID(row.userID), deviceID: row.deviceID, isGuest: row.isGuest, accessTokenID: row.tokenID)
        cache.remember(requester, forHash: hash, readAt: generation)
        return requester
    }
}
