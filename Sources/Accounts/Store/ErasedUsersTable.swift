import Storage

/// The only SQL touching `erased_users` (migration 0010, `OpenIDAndErasure`): users who deactivated with `erase: true`.
enum ErasedUsersTable {
    static func insert(_ userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO erased_users (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING", [.text(userID)]
        )
    }

    /// Which of `userIDs` are erased.
    static func erased(among userIDs: [String], in connection: any Connection) throws(StorageError) -> [String] {
        guard !userIDs.isEmpty else { return [] }
        return try connection.query(
            "SELECT user_id FROM erased_users WHERE user_id IN (\(placeholders(userIDs.count)))", userIDs.map(SQLValue.text)
        ).map { row throws(StorageError) in try row.decode("user_id") }
    }
}
