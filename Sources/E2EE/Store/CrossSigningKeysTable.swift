import MatrixTypes
import Storage

/// The only SQL touching `e2e_cross_signing_keys` (migration 0015): each user's latest master, self-signing and
/// user-signing key.
enum CrossSigningKeysTable {
    static func upsert(userID: String, type: String, json: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO e2e_cross_signing_keys (user_id, key_type, key_json) VALUES (?, ?, ?)
            ON CONFLICT (user_id, key_type) DO UPDATE SET key_json = excluded.key_json
            """,
            [.text(userID), .text(type), .text(json)]
        )
    }

    /// `user → key type → JSON text` for `userIDs`, keyed by bytes.
    static func keys(of userIDs: [String], in connection: any Connection) throws(StorageError) -> [JSONKey: [JSONKey: String]] {
        guard !userIDs.isEmpty else { return [:] }
        var keys: [JSONKey: [JSONKey: String]] = [:]
        for row in try connection.query(
            "SELECT user_id, key_type, key_json FROM e2e_cross_signing_keys WHERE user_id IN (\(placeholders(userIDs.count)))",
            userIDs.map(SQLValue.text)
        ) {
            keys[JSONKey(try row.decode("user_id")), default: [:]][JSONKey(try row.decode("key_type"))] = try row.decode("key_json")
        }
        return keys
    }
}
