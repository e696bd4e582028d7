import Storage

/// One access token's row, joined with its user's guest flag.
struct AccessTokenRow: Sendable {
    var tokenID: Int64
    var userID: String
    var deviceID: String
    var isGuest: Bool
}

/// The only SQL touching `access_tokens` (migration 0002, `Accounts`). Tokens are looked up by their hash; the token
/// itself is never stored.
enum AccessTokensTable {
    static func insert(
        hash: String, userID: String, deviceID: String, at now: Int64, in transaction: any Transaction
    ) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO access_tokens (token_hash, user_id, device_id, created_ts) VALUES (?, ?, ?, ?)",
            [.text(hash), .text(userID), .text(deviceID), .integer(now)]
        )
    }

    static func find(hash: String, in connection: any Connection) throws(StorageError) -> AccessTokenRow? {
        guard
            let row = try connection.queryOne(
                """
                SELECT t.id, t.user_id, t.device_id, u.is_guest FROM access_tokens t
                JOIN users u ON u.user_id = t.user_id WHERE t.token_hash = ?
                """,
                [.text(hash)]
            )
        else { return nil }
        return AccessTokenRow(
            tokenID: try row.decode("id"), userID: try row.decode("user_id"), deviceID: try row.decode("device_id"),
            isGuest: try row.decode("is_guest")
        )
    }

    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !deviceIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM access_tokens WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count)))",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        )
    }

    static func deleteAll(userID: String, except kept: Int64?, in transaction: any Transaction) throws(StorageError) {
        if let kept {
            try transaction.execute("DELETE FROM access_tokens WHERE user_id = ? AND id <> ?", [.text(userID), .integer(kept)])
        } else {
            try transaction.execute("DELETE FROM access_tokens WHERE user_id = ?", [.text(userID)])
        }
    }
}
