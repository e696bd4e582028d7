import Storage

/// The only SQL touching `device_inbox` (migration 0015): the `to_device` stream, messages waiting for a device.
enum DeviceInboxTable {
    static func insert(userID: String, deviceID: String, streamID: Int64, json: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO device_inbox (user_id, device_id, stream_id, message_json) VALUES (?, ?, ?, ?)",
            [.text(userID), .text(deviceID), .integer(streamID), .text(json)]
        )
    }

    /// The device's messages in `(after, upTo]`, the first `limit` in stream order.
    static func messages(
        userID: String, deviceID: String, after: Int64, upTo: Int64, limit: Int, in connection: any Connection
    ) throws(StorageError) -> [(streamID: Int64, json: String)] {
        try connection.query(
            """
            SELECT stream_id, message_json FROM device_inbox WHERE user_id = ? AND device_id = ? AND stream_id > ? AND stream_id <= ?
            ORDER BY stream_id LIMIT ?
            """,
            [.text(userID), .text(deviceID), .integer(after), .integer(upTo), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("stream_id"), try row.decode("message_json")) }
    }

    /// Whether the device has messages at or below `upTo`.
    static func hasMessages(userID: String, deviceID: String, upTo: Int64, in connection: any Connection) throws(StorageError) -> Bool {
        try connection.queryOne(
            "SELECT 1 FROM device_inbox WHERE user_id = ? AND device_id = ? AND stream_id <= ? LIMIT 1",
            [.text(userID), .text(deviceID), .integer(upTo)]
        ) != nil
    }

    /// Deletes the device's messages up to `upTo`, which it has acknowledged by syncing past them.
    static func deleteDelivered(userID: String, deviceID: String, upTo: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "DELETE FROM device_inbox WHERE user_id = ? AND device_id = ? AND stream_id <= ?",
            [.text(userID), .text(deviceID), .integer(upTo)]
        )
    }

    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !deviceIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM device_inbox WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count)))",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        )
    }

    /// Who received messages in `(after, upTo]`, the first `limit` rows in stream order.
    static func recipients(after: Int64, upTo: Int64, limit: Int, in connection: any Connection) throws(StorageError)
        -> [(streamID: Int64, userID: String)]
    {
        try connection.query(
            "SELECT DISTINCT stream_id, user_id FROM device_inbox WHERE stream_id > ? AND stream_id <= ? ORDER BY stream_id LIMIT ?",
            [.integer(after), .integer(upTo), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("stream_id"), try row.decode("user_id")) }
    }
}
