public import MatrixTypes
import Storage

/// OpenID tokens: a user asks for one (`POST /user/{userId}/openid/request_token`) and hands it to a third party
/// such as a widget or an integration manager, which learns who holds it from the federation
/// `GET /openid/userinfo`. As Synapse, a token lives an hour; it is stored only as its SHA-256.
public struct OpenIDTokenService: Sendable {
    let database: any Database
    let clock: WallClock
    let serverName: ServerName

    /// Synapse's fixed lifetime (`IdTokenServlet.EXPIRES_MS`); it has no setting.
    public static let lifetimeMilliseconds: Int64 = 3_600_000
    /// Live tokens kept per user; a new one beyond this drops the one expiring soonest, so the table stays bounded
    /// by the number of accounts even for a client that asks for a token on every page load.
    static let liveTokensPerUser = 100

    public struct IssuedToken: Sendable {
        public let token: String
        public let serverName: ServerName
        public let expiresInSeconds: Int64
    }

    /// A new token for the requester, who may ask only for themselves. Expired tokens are purged on the way.
    public func issue(for userID: UserID, requester: Requester) async throws -> IssuedToken {
        guard userID.rawValue.hasSameBytes(as: requester.userID.rawValue) else { throw OpenIDError.otherUser }
        let token = SecureRandom.letters(24)
        let now = clock.now()
        try await database.write { transaction in
            try OpenIDTokensTable.deleteExpired(now: now, in: transaction)
            try OpenIDTokensTable.insert(
                hash: TokenHash.of(token), userID: userID.rawValue, validUntil: now + Self.lifetimeMilliseconds, in: transaction
            )
            try OpenIDTokensTable.keepNewest(Self.liveTokensPerUser, userID: userID.rawValue, in: transaction)
        }
        return IssuedToken(token: token, serverName: serverName, expiresInSeconds: Self.lifetimeMilliseconds / 1000)
    }

    /// Who holds `token`, or nil when it is unknown or expired.
    public func userID(forToken token: String) async throws -> UserID? {
        let hash = TokenHash.of(token)
        let now = clock.now()
        let user = try await database.read { connection in try OpenIDTokensTable.userID(hash: hash, now: now, in: connection) }
        return try user.map { try UserID($0) }
    }
}
