import MatrixTypes
import Storage

/// The only SQL touching `e2e_one_time_keys` (migration 0015). A key is `algorithm:key_id`; each is handed out once.
enum OneTimeKeysTable {
    /// The stored JSON of those of `keys` (algorithm, key ID) the device already has, by `algorithm:key_id`.
    static func existing(
        userID: String, deviceID: String, keys: [(algorithm: String, keyID: String)], in connection: any Connection
    ) throws(StorageError) -> [JSONKey: String] {
        var found: [JSONKey: String] = [:]
        let names = keys.map { $0.algorithm + ":" + $0.keyID }
        for start in stride(from: 0, to: names.count, by: 500) {
            let chunk = Array(names[start..<min(start + 500, names.count)])
            for row in try connection.query(
                """
                SELECT algorithm, key_id, key_json FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ?
                AND algorithm || ':' || key_id IN (\(placeholders(chunk.count)))
                """,
                [.text(userID), .text(deviceID)] + chunk.map(SQLValue.text)
            ) {
                let algorithm: String = try row.decode("algorithm")
                let keyID: String = try row.decode("key_id")
                found[JSONKey(algorithm + ":" + keyID)] = try row.decode("key_json")
            }
        }
        return found
    }

    static func insert(
        userID: String, deviceID: String, algorithm: String, keyID: String, json: String, in transaction: any Transaction
    ) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO e2e_one_time_keys (user_id, device_id, algorithm, key_id, key_json) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id, device_id, algorithm, key_id) DO NOTHING
            """,
            [.text(userID), .text(deviceID), .text(algorithm), .text(keyID), .text(json)]
        )
    }

    /// How many unclaimed keys the device has per algorithm.
    static func counts(userID: String, deviceID: String, in connection: any Connection) throws(StorageError) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try connection.query(
            "SELECT algorithm, COUNT(*) AS n FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? GROUP BY algorithm",
            [.text(userID), .text(deviceID)]
        ) {
            counts[try row.decode("algorithm")] = try row.decode("n")
        }
        return counts
    }

    /// Takes one key of `algorithm` from the device: deleted as it is read, so it goes to one claimant only. On
    /// PostgreSQL a key another transaction is taking is skipped rather than waited for (`SKIP LOCKED`), so
    /// concurrent claims each get a different key or none; SQLite has one writer at a time.
    static func claim(
        userID: String, deviceID: String, algorithm: String, in transaction: any Transaction
    ) throws(StorageError) -> (keyID: String, json: String)? {
        let lock = transaction.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try transaction.queryOne(
            """
            DELETE FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? AND algorithm = ? AND key_id = (
                SELECT key_id FROM e2e_one_time_keys WHERE user_id = ? AND device_id = ? AND algorithm = ?
                ORDER BY key_id LIMIT 1\(lock)
            ) RETURNING key_id, key_json
            """,
            [.text(userID), .text(deviceID), .text(algorithm), .text(userID), .text(deviceID), .text(algorithm)]
        ).map { row throws(StorageError) in (try row.decode("key_id"), try row.decode("key_json")) }
    }

    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !deviceIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM e2e_one_time_keys WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count)))",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        )
    }
}
