import Storage

/// The only SQL touching `room_hierarchy_sessions` (created by migration 0014, `HierarchySessions`).
enum HierarchySessionsTable {
    static func insert(token: String, userID: String, createdMs: Int64, session: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO room_hierarchy_sessions (token, user_id, created_ms, session) VALUES (?, ?, ?, ?)",
            [.text(token), .text(userID), .integer(createdMs), .text(session)]
        )
    }

    /// The session under `token` created at or after `notBefore`, with its user.
    static func find(token: String, notBefore: Int64, in connection: any Connection) throws(StorageError) -> (userID: String, session: String)? {
        guard
            let row = try connection.queryOne(
                "SELECT user_id, session FROM room_hierarchy_sessions WHERE token = ? AND created_ms >= ?", [.text(token), .integer(notBefore)]
            )
        else { return nil }
        return (try row.decode("user_id"), try row.decode("session"))
    }

    static func deleteExpired(before: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM room_hierarchy_sessions WHERE created_ms < ?", [.integer(before)])
    }

    /// Deletes `userID`'s sessions but the newest `keep`.
    static func keepNewest(_ keep: Int, of userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            DELETE FROM room_hierarchy_sessions WHERE user_id = ? AND token NOT IN (
                SELECT token FROM room_hierarchy_sessions WHERE user_id = ? ORDER BY created_ms DESC, token DESC LIMIT ?
            )
            """,
            [.text(userID), .text(userID), .integer(Int64(keep))]
        )
    }
}
