import Storage

/// One stored blob; `roomID` is empty for global data.
struct AccountDataRow: Sendable {
    var roomID: String
    var type: String
    var content: String
}

/// The only SQL touching `account_data` (created by migration 0004, `RoomFeatures`): one row per user, room (empty
/// for global data) and type, carrying the `account_data` stream ID of its last change.
enum AccountDataTable {
    static func upsert(
        userID: String, roomID: String, type: String, content: String, streamID: Int64, in transaction: any Transaction
    ) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO account_data (user_id, room_id, data_type, content, stream_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (user_id, room_id, data_type) DO UPDATE SET content = excluded.content, stream_id = excluded.stream_id
            """,
            [.text(userID), .text(roomID), .text(type), .text(content), .integer(streamID)]
        )
    }

    static func content(userID: String, roomID: String, type: String, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND data_type = ?",
            [.text(userID), .text(roomID), .text(type)]
        )?.decode(0)
    }

    /// The row's content, held against other writers until `transaction` ends, so a read-modify-write loses no
    /// concurrent change. SQLite has one writer at a time already; on PostgreSQL a missing row is first created empty
    /// (at `streamID`, which the caller's write then takes over) so there is a row to lock.
    static func contentForUpdate(
        userID: String, roomID: String, type: String, streamID: Int64, in transaction: any Transaction
    ) throws(StorageError) -> String? {
        guard transaction.dialect == .postgres else { return try content(userID: userID, roomID: roomID, type: type, in: transaction) }
        try transaction.execute(
            """
            INSERT INTO account_data (user_id, room_id, data_type, content, stream_id) VALUES (?, ?, ?, '{}', ?)
            ON CONFLICT (user_id, room_id, data_type) DO NOTHING
            """,
            [.text(userID), .text(roomID), .text(type), .integer(streamID)]
        )
        return try transaction.queryOne(
            "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND data_type = ? FOR UPDATE",
            [.text(userID), .text(roomID), .text(type)]
        )?.decode(0)
    }

    /// The user's rows changed in `(after, upTo]` of the stream.
    static func changed(userID: String, after: Int64, upTo: Int64, in connection: any Connection) throws(StorageError) -> [AccountDataRow] {
        try connection.query(
            "SELECT room_id, data_type, content FROM account_data WHERE user_id = ? AND stream_id > ? AND stream_id <= ?",
            [.text(userID), .integer(after), .integer(upTo)]
        ).map { row throws(StorageError) in
            AccountDataRow(roomID: try row.decode("room_id"), type: try row.decode("data_type"), content: try row.decode("content"))
        }
    }

    /// Whose account data changed in `(after, upTo]`, the first `limit` rows in stream order.
    static func owners(after: Int64, upTo: Int64, limit: Int, in connection: any Connection) throws(StorageError)
        -> [(streamID: Int64, userID: String)]
    {
        try connection.query(
            "SELECT stream_id, user_id FROM account_data WHERE stream_id > ? AND stream_id <= ? ORDER BY stream_id LIMIT ?",
            [.integer(after), .integer(upTo), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("stream_id"), try row.decode("user_id")) }
    }
}
