import Storage

/// One row of `users`.
struct UserRow: Sendable {
    var userID: String
    var passwordHash: String?
    var isAdmin: Bool
    var isGuest: Bool
    var userType: String?
    var deactivated: Bool
}

/// The only SQL touching `users` and `generated_localparts` (migration 0002, `Accounts`).
enum UsersTable {
    static func insert(_ user: UserRow, createdAt: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO users (user_id, password_hash, created_ts, is_admin, is_guest, user_type, deactivated)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(user.userID), SQLValue(user.passwordHash), .integer(createdAt), SQLValue(user.isAdmin),
                SQLValue(user.isGuest), SQLValue(user.userType), SQLValue(user.deactivated),
            ]
        )
    }

    static func find(_ userID: String, in connection: any Connection) throws(StorageError) -> UserRow? {
        guard
            let row = try connection.queryOne(
                "SELECT user_id, password_hash, is_admin, is_guest, user_type, deactivated FROM users WHERE user_id = ?",
                [.text(userID)]
            )
        else { return nil }
        return UserRow(
            userID: try row.decode("user_id"), passwordHash: try row.decode("password_hash"), isAdmin: try row.decode("is_admin"),
            isGuest: try row.decode("is_guest"), userType: try row.decode("user_type"), deactivated: try row.decode("deactivated")
        )
    }

    static func exists(_ userID: String, in connection: any Connection) throws(StorageError) -> Bool {
        try connection.queryOne("SELECT 1 FROM users WHERE user_id = ?", [.text(userID)]) != nil
    }

    static func setPasswordHash(_ hash: String?, for userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("UPDATE users SET password_hash = ? WHERE user_id = ?", [SQLValue(hash), .text(userID)])
    }

    /// A guest becomes a full account with a password; a row that is not a guest's is left alone (`false`).
    static func upgradeGuest(_ userID: String, passwordHash: String, in transaction: any Transaction) throws(StorageError) -> Bool {
        try transaction.execute(
            "UPDATE users SET password_hash = ?, is_guest = ? WHERE user_id = ? AND is_guest = ?",
            [.text(passwordHash), SQLValue(false), .text(userID), SQLValue(true)]
        ) == 1
    }

    /// Deactivation keeps the row, so the name stays taken, and drops the password so nothing can log in.
    static func deactivate(_ userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("UPDATE users SET deactivated = 1, password_hash = NULL WHERE user_id = ?", [.text(userID)])
    }

    /// The next number for a generated localpart (registration without a username, guests).
    static func nextGeneratedLocalpart(in transaction: any Transaction) throws(StorageError) -> Int64 {
        try transaction.queryValue(
            "UPDATE generated_localparts SET last_value = last_value + 1 WHERE name = 'users' RETURNING last_value"
        )
    }
}
