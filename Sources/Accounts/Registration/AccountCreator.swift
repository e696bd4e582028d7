import MatrixTypes
import Storage

/// Inserts new accounts for every way of registering (clients, guests, the shared-secret admin API).
struct AccountCreator: Sendable {
    let database: any Database
    let serverName: ServerName
    let clock: WallClock

    struct NewAccount: Sendable {
        /// `nil` generates the next numeric localpart.
        var localpart: String?
        var passwordHash: String?
        var isAdmin = false
        var isGuest = false
        var userType: String?
    }

    func create(_ account: NewAccount) async throws -> UserID {
        let now = clock.now()
        let serverName = serverName
        let chosen = try account.localpart.map { localpart throws(RegistrationError) in try UsernamePolicy.check(localpart, serverName: serverName) }
        do {
            return try await database.write { transaction in
                // Generated localparts are numeric, which `UsernamePolicy` reserves, so they cannot collide with chosen ones.
                let userID = try chosen ?? UserID(localpart: String(UsersTable.nextGeneratedLocalpart(in: transaction)), serverName: serverName)
                try UsersTable.insert(Self.row(userID.rawValue, account), createdAt: now, in: transaction)
                return userID
            }
        } catch StorageError.uniqueViolation {
            throw RegistrationError.userInUse
        }
    }

    /// Whether a localpart can be registered right now (`GET /register/available`). A taken name is reported
    /// as taken before an all-digit one as reserved, in Synapse's order, so a guest's name reads as in use.
    func checkAvailable(_ localpart: String) async throws {
        let userID = try UsernamePolicy.check(localpart, serverName: serverName, allowingGuestNames: true)
        if try await database.read({ connection in try UsersTable.exists(userID.rawValue, in: connection) }) {
            throw RegistrationError.userInUse
        }
        try UsernamePolicy.refuseGuestName(localpart)
    }

    private static func row(_ userID: String, _ account: NewAccount) -> UserRow {
        UserRow(
            userID: userID, passwordHash: account.passwordHash, isAdmin: account.isAdmin, isGuest: account.isGuest,
            userType: account.userType, deactivated: false
        )
    }
}
