import Storage

/// The only SQL touching `e2e_fallback_keys` (migration 0015): one key per device and algorithm.
enum FallbackKeysTable {
    /// Stores the device's fallback key for `algorithm`, replacing the previous one. The same key uploaded again keeps
    /// whether it was used; a new one starts unused.
    static func upsert(
        userID: String, deviceID: String, algorithm: String, keyID: String, json: String, in transaction: any Transaction
    ) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO e2e_fallback_keys (user_id, device_id, algorithm, key_id, key_json, used) VALUES (?, ?, ?, ?, ?, 0)
            ON CONFLICT (user_id, device_id, algorithm) DO UPDATE SET
                used = CASE WHEN e2e_fallback_keys.key_id = excluded.key_id AND e2e_fallback_keys.key_json = excluded.key_json
                    THEN e2e_fallback_keys.used ELSE 0 END,
                key_id = excluded.key_id, key_json = excluded.key_json
            """,
            [.text(userID), .text(deviceID), .text(algorithm), .text(keyID), .text(json)]
        )
    }

    /// Hands out the fallback key for `algorithm`, marking it used (it stays, to be handed out again until replaced).
    static func claim(
        userID: String, deviceID: String, algorithm: String, in transaction: any Transaction
    ) throws(StorageError) -> (keyID: String, json: String)? {
        try transaction.queryOne(
            "UPDATE e2e_fallback_keys SET used = 1 WHERE user_id = ? AND device_id = ? AND algorithm = ? RETURNING key_id, key_json",
            [.text(userID), .text(deviceID), .text(algorithm)]
        ).map { row throws(StorageError) in (try row.decode("key_id"), try row.decode("key_json")) }
    }

    /// The algorithms whose fallback key has not been handed out since it was uploaded, in byte order.
    static func unusedAlgorithms(userID: String, deviceID: String, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            "SELECT algorithm FROM e2e_fallback_keys WHERE user_id = ? AND device_id = ? AND used = 0 ORDER BY algorithm",
            [.text(userID), .text(deviceID)]
        ).map { row throws(StorageError) in try row.decode("algorithm") }
    }

    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !deviceIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM e2e_fallback_keys WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count)))",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        )
    }
}
