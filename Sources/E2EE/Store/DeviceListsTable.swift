import Storage

/// The only SQL touching `device_lists_stream` (migration 0015): the `device_lists` stream, one row per user and
/// device that changed at a position (`device_id` empty when the change is to the user's cross-signing keys); a
/// device named twice at one position is one row.
enum DeviceListsTable {
    static func append(streamID: Int64, userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        for deviceID in deviceIDs {
            try transaction.execute(
                "INSERT INTO device_lists_stream (stream_id, user_id, device_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [.integer(streamID), .text(userID), .text(deviceID)]
            )
        }
    }

    /// The users with changes in `(after, upTo]` whose IDs sort after `from` (bytewise on both engines' `COLLATE`),
    /// the first `limit` in that order: a page.
    static func changedUsers(after: Int64, upTo: Int64, from: String, limit: Int, in connection: any Connection) throws(StorageError) -> [String] {
        let collate = connection.dialect == .postgres ? " COLLATE \"C\"" : ""
        return try connection.query(
            """
            SELECT DISTINCT user_id\(collate) AS user_id FROM device_lists_stream WHERE stream_id > ? AND stream_id <= ? AND user_id\(collate) > ?
            ORDER BY user_id\(collate) LIMIT ?
            """,
            [.integer(after), .integer(upTo), .text(from), .integer(Int64(limit))]
        ).map { row throws(StorageError) in try row.decode("user_id") }
    }

    /// Whose devices changed in `(after, upTo]`, the first `limit` positions' rows in stream order.
    static func owners(after: Int64, upTo: Int64, limit: Int, in connection: any Connection) throws(StorageError)
        -> [(streamID: Int64, userID: String)]
    {
        try connection.query(
            "SELECT DISTINCT stream_id, user_id FROM device_lists_stream WHERE stream_id > ? AND stream_id <= ? ORDER BY stream_id LIMIT ?",
            [.integer(after), .integer(upTo), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("stream_id"), try row.decode("user_id")) }
    }
}
