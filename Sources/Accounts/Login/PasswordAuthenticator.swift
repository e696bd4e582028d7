import MatrixTypes
import Storage

/// Checks a password against the stored Argon2id hash, for `/login` and for the `m.login.password` stage.
struct PasswordAuthenticator: Sendable {
    let database: any Database
    let hasher: PasswordHasher
    let serverName: ServerName

    /// The fully qualified, lower-cased user ID a `m.id.user` identifier names: Axon creates only lower-case
    /// localparts, so this is the case-insensitive match Synapse makes.
    func qualifiedUserID(_ user: String) -> String {
        (user.hasPrefix("@") ? user : "@\(user):\(serverName.rawValue)").lowercased()
    }

    /// The account whose password this is; `LoginError.invalidCredentials` for an unknown user, a wrong
    /// password, a third-party identifier (none are bound here) or an account with no password.
    func authenticate(_ credentials: PasswordCredentials) async throws -> UserRow {
        guard case .user(let user) = credentials.identifier else { throw LoginError.invalidCredentials }
        let userID = qualifiedUserID(user)
        let row = try await database.read { connection in try UsersTable.find(userID, in: connection) }
        guard let row, let stored = row.passwordHash, try await hasher.verify(credentials.password, against: stored) else {
            throw LoginError.invalidCredentials
        }
        return row
    }
}
