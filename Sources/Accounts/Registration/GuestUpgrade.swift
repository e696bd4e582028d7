import MatrixTypes
import Storage

/// A guest becoming a full account (the spec's guest access module): `POST /register` with the guest's access
/// token as `guest_access_token` and its own localpart as `username` keeps the user ID and sets a password.
struct GuestUpgrade: Sendable {
    let database: any Database
    let serverName: ServerName
    let tokens: AccessTokenCache

    /// The guest's user ID when `guestToken` is the access token of the guest named `localpart`; anything else
    /// is refused, as Synapse refuses registering a taken name without that guest's credentials.
    func check(_ localpart: String, guestToken: String) async throws -> UserID {
        let userID = try UsernamePolicy.check(localpart, serverName: serverName, allowingGuestNames: true)
        let hash = TokenHash.of(guestToken)
        try await database.read { connection in try Self.requireGuest(userID, holding: hash, in: connection) }
        return userID
    }

    /// Makes the guest a full account with `passwordHash`. Its guest tokens stop working, as Synapse's do once the
    /// account is no longer a guest; the registration issues the new session.
    func upgrade(_ localpart: String, guestToken: String, passwordHash: String) async throws -> UserID {
        let userID = try UsernamePolicy.check(localpart, serverName: serverName, allowingGuestNames: true)
        let hash = TokenHash.of(guestToken)
        defer { tokens.revoked(userID: userID.rawValue) }
        try await database.write { transaction in
            try Self.requireGuest(userID, holding: hash, in: transaction)
            // A concurrent upgrade of the same guest may have committed since the check: only one wins.
            guard try UsersTable.upgradeGuest(userID.rawValue, passwordHash: passwordHash, in: transaction) else {
                throw RegistrationError.guestTokenUnknown
            }
            try AccessTokensTable.deleteAll(userID: userID.rawValue, except: nil, in: transaction)
        }
        return userID
    }

    /// An unknown token is refused as unknown, a known one of someone else as forbidden, as Synapse tells them apart.
    private static func requireGuest(_ userID: UserID, holding tokenHash: String, in connection: any Connection) throws {
        guard let token = try AccessTokensTable.find(hash: tokenHash, in: connection) else { throw RegistrationError.guestTokenUnknown }
        guard token.isGuest, token.userID.hasSameBytes(as: userID.rawValue) else { throw RegistrationError.guestCredentialsInvalid }
    }
}
