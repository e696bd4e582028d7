public import MatrixTypes
public import Storage

/// What other services ask of local accounts: whether one exists, whether it belongs to a server admin.
public struct UserLookup: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Whether `user` was ever registered here (deactivated accounts too: their names stay taken).
    public func exists(_ user: UserID) async throws -> Bool {
        try await database.read { connection in try UsersTable.exists(user.rawValue, in: connection) }
    }

    public func isServerAdmin(_ user: UserID) async throws -> Bool {
        try await database.read { connection in try UsersTable.find(user.rawValue, in: connection)?.isAdmin ?? false }
    }
}
