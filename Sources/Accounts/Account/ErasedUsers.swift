public import MatrixTypes
public import Storage

/// Which users deactivated with `erase: true`. Room readers show those users' events redacted to anyone who was not
/// joined when they were sent (Synapse's `are_users_erased`).
public struct ErasedUsers: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// The erased users among `users`, in one read.
    public func among(_ users: Set<UserID>) async throws -> Set<UserID> {
        guard !users.isEmpty else { return [] }
        let ids = users.map(\.rawValue)
        let erased = try await database.read { connection in try ErasedUsersTable.erased(among: ids, in: connection) }
        return Set(try erased.map { try UserID($0) })
    }
}
