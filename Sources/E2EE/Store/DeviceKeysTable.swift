import MatrixTypes
import Storage

/// The only SQL touching `e2e_device_keys` (migration 0015): each device's signed keys as uploaded.
enum DeviceKeysTable {
    static func upsert(userID: String, deviceID: String, json: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO e2e_device_keys (user_id, device_id, key_json) VALUES (?, ?, ?)
            ON CONFLICT (user_id, device_id) DO UPDATE SET key_json = excluded.key_json
            """,
            [.text(userID), .text(deviceID), .text(json)]
        )
    }

    static func keys(userID: String, deviceID: String, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            "SELECT key_json FROM e2e_device_keys WHERE user_id = ? AND device_id = ?", [.text(userID), .text(deviceID)]
        )?.decode("key_json")
    }

    /// Every stored key of `userIDs`' devices, as `user → device → JSON text`, keyed by bytes.
    static func keys(of userIDs: [String], in connection: any Connection) throws(StorageError) -> [JSONKey: [JSONKey: String]] {
        guard !userIDs.isEmpty else { return [:] }
        var keys: [JSONKey: [JSONKey: String]] = [:]
        for row in try connection.query(
            "SELECT user_id, device_id, key_json FROM e2e_device_keys WHERE user_id IN (\(placeholders(userIDs.count)))",
            userIDs.map(SQLValue.text)
        ) {
            keys[JSONKey(try row.decode("user_id")), default: [:]][JSONKey(try row.decode("device_id"))] = try row.decode("key_json")
        }
        return keys
    }

    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !deviceIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM e2e_device_keys WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count)))",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        )
    }
}
