import Storage

/// The only SQL touching `backward_extremities` (migration 0012): events a room's stored history refers to without
/// holding them in its timeline, where older history is fetched from.
enum BackwardExtremitiesTable {
    /// Records `eventNIDs` as missing below an event at `depth`.
    static func add(roomNID: Int64, eventNIDs: [Int64], depth: Int64, in transaction: any Transaction) throws(StorageError) {
        guard !eventNIDs.isEmpty else { return }
        try transaction.execute(
            "INSERT INTO backward_extremities (room_nid, event_nid, depth) VALUES \(valueRows(eventNIDs.count, columns: 3)) "
                + "ON CONFLICT (room_nid, event_nid) DO NOTHING",
            eventNIDs.flatMap { [SQLValue.integer(roomNID), .integer($0), .integer(depth)] }
        )
    }

    /// Forgets `events` as missing from their rooms: they are in the timeline now.
    static func remove(_ events: [(roomNID: Int64, eventNID: Int64)], in transaction: any Transaction) throws(StorageError) {
        for event in events {
            try transaction.execute(
                "DELETE FROM backward_extremities WHERE room_nid = ? AND event_nid = ?", [.integer(event.roomNID), .integer(event.eventNID)]
            )
        }
    }

    /// The room's missing events referred to by events at or below `depth`, nearest first, at most `limit`.
    static func list(roomNID: Int64, depth: Int64, limit: Int, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            """
            SELECT i.event_id FROM backward_extremities b JOIN event_ids i ON i.event_nid = b.event_nid
            WHERE b.room_nid = ? AND b.depth <= ? ORDER BY b.depth DESC, i.event_id LIMIT ?
            """,
            [.integer(roomNID), .integer(depth), .integer(Int64(limit))]
        ).map { row throws(StorageError) in try row.decode(0) }
    }
}
