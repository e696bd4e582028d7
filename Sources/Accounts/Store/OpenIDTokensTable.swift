import Storage

/// The only SQL touching `open_id_tokens` (migration 0010, `OpenIDAndErasure`). Tokens are looked up by their hash; the
/// token itself is never stored.
enum OpenIDTokensTable {
    static func insert(hash: String, userID: String, validUntil: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO open_id_tokens (token_hash, user_id, valid_until_ms) VALUES (?, ?, ?)",
            [.text(hash), .text(userID), .integer(validUntil)]
        )
    }

    /// The user a live token names, or nil for an unknown or expired one.
    static func userID(hash: String, now: Int64, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            "SELECT user_id FROM open_id_tokens WHERE token_hash = ? AND valid_until_ms > ?", [.text(hash), .integer(now)]
        )?.decode("user_id")
    }

    static func deleteExpired(now: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM open_id_tokens WHERE valid_until_ms <= ?", [.integer(now)])
    }

    /// Drops the user's tokens that expire soonest until at most `kept` remain.
    static func keepNewest(_ kept: Int, userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            DELETE FROM open_id_tokens WHERE user_id = ? AND token_hash NOT IN (
                SELECT token_hash FROM open_id_tokens WHERE user_id = ? ORDER BY valid_until_ms DESC, token_hash LIMIT ?
            )
            """,
            [.text(userID), .text(userID), .integer(Int64(kept))]
        )
    }

    static func deleteAll(userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM open_id_tokens WHERE user_id = ?", [.text(userID)])
    }
}
