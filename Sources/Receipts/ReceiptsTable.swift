import Storage

/// One stored receipt; `threadID` is empty for an unthreaded one.
struct ReceiptRow: Sendable {
    var roomID: String
    var type: String
    var userID: String
    var threadID: String
    var eventID: String
    var timestamp: Int64
}

/// The only SQL touching `receipts` (created by migration 0004, `RoomFeatures`; indexed by room and stream ID in
/// 0009): one row per room, type, user and thread, carrying the `receipts` stream ID of its last change.
enum ReceiptsTable {
    static func upsert(_ receipt: ReceiptRow, streamID: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO receipts (room_id, receipt_type, user_id, thread_id, event_id, ts, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (room_id, receipt_type, user_id, thread_id)
            DO UPDATE SET event_id = excluded.event_id, ts = excluded.ts, stream_id = excluded.stream_id
            """,
            [.text(receipt.roomID), .text(receipt.type), .text(receipt.userID), .text(receipt.threadID), .text(receipt.eventID),
             .integer(receipt.timestamp), .integer(streamID)]
        )
    }

    /// The receipts in `roomIDs` (not empty) changed in `(after, upTo]` of the stream.
    static func changed(inRooms roomIDs: [String], after: Int64, upTo: Int64, in connection: any Connection) throws(StorageError) -> [ReceiptRow] {
        try connection.query(
            """
            SELECT room_id, receipt_type, user_id, thread_id, event_id, ts FROM receipts
            WHERE stream_id > ? AND stream_id <= ? AND room_id IN (\(placeholders(roomIDs.count)))
            """,
            [.integer(after), .integer(upTo)] + roomIDs.map(SQLValue.text)
        ).map { row throws(StorageError) in
            ReceiptRow(
                roomID: try row.decode("room_id"), type: try row.decode("receipt_type"), userID: try row.decode("user_id"),
                threadID: try row.decode("thread_id"), eventID: try row.decode("event_id"), timestamp: try row.decode("ts")
            )
        }
    }

    /// Who changed a receipt in which room in `(after, upTo]`, the first `limit` rows in stream order.
    static func changers(after: Int64, upTo: Int64, limit: Int, in connection: any Connection) throws(StorageError)
        -> [(streamID: Int64, roomID: String, userID: String)]
    {
        try connection.query(
            "SELECT stream_id, room_id, user_id FROM receipts WHERE stream_id > ? AND stream_id <= ? ORDER BY stream_id LIMIT ?",
            [.integer(after), .integer(upTo), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("stream_id"), try row.decode("room_id"), try row.decode("user_id")) }
    }
}
