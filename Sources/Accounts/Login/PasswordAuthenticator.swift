import MatrixTypes
import Storage

/// Checks a password against the stored Argon2id hash, for `/login` and for the `m.login.password` stage.
struct PasswordAuthenticator: Sendable {
    let database: any Database
    let hasher: PasswordHasher
    let decoy: DecoyPasswordHash
    let serverName: ServerName

    /// The fully qualified, lower-cased user ID a `m.id.user` identifier names: Axon creates only lower-case
    /// localparts, so this is the case-insensitive match Synapse makes.
    func qualifiedUserID(_ user: String) -> String {
        (user.hasPrefix("@") ? user : "@\(user):\(serverName.rawValue)").lowercased()
    }

    /// The account whose password this is; `LoginError.invalidCredentials` for an unknown user, a wrong
    /// password, a third-party identifier (none are bound here), an account with no password, or, when
    /// `account` is given, any user but that one.
    ///
    /// Every failure runs one Argon2 verification, as a success does, and all of them throw the same error,
    /// so neither the answer nor its timing tells an existing account from a missing one.
    /// - Parameter account: the only user the password may authenticate (re-authentication of the requester).
    func authenticate(_ credentials: PasswordCredentials, onlyAs account: String? = nil) async throws -> UserRow {
        var named: String?
        if case .user(let user) = credentials.identifier { named = qualifiedUserID(user) }
        if let account, named != account { named = nil }
        let row: UserRow? = try await named.asyncMap { userID in
            try await database.read { connection in try UsersTable.find(userID, in: connection) }
        } ?? nil
        let stored = row?.passwordHash
        let checked = if let stored { stored } else { try await decoy.value() }
        let matches = try await hasher.verify(credentials.password, against: checked)
        guard let row, stored != nil, matches else { throw LoginError.invalidCredentials }
        return row
    }
}
