import Storage

/// The only SQL touching `forward_extremities` (migration 0003, `Rooms`): each room's events that no stored event lists
/// as a prev event yet.
enum ForwardExtremitiesTable {
    /// Makes `eventNIDs` extremities in place of the prev events they build on (`prevNIDs`, which never include one
    /// of `eventNIDs`).
    static func advance(roomNID: Int64, eventNIDs: [Int64], replacing prevNIDs: [Int64], in transaction: any Transaction)
        throws(StorageError)
    {
        if !prevNIDs.isEmpty {
            try transaction.execute(
                "DELETE FROM forward_extremities WHERE room_nid = ? AND event_nid IN (\(placeholders(prevNIDs.count)))",
                [.integer(roomNID)] + prevNIDs.map(SQLValue.integer)
            )
        }
        guard !eventNIDs.isEmpty else { return }
        try transaction.execute(
            "INSERT INTO forward_extremities (room_nid, event_nid) VALUES \(valueRows(eventNIDs.count, columns: 2)) "
                + "ON CONFLICT (room_nid, event_nid) DO NOTHING",
            eventNIDs.flatMap { [SQLValue.integer(roomNID), .integer($0)] }
        )
    }

    static func list(roomNID: Int64, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            """
            SELECT i.event_id FROM forward_extremities f JOIN event_ids i ON i.event_nid = f.event_nid
            WHERE f.room_nid = ? ORDER BY i.event_id
            """,
            [.integer(roomNID)]
        ).map { row throws(StorageError) in try row.decode(0) }
    }

    /// Forgets every extremity of the room: this server's join to a room held elsewhere starts its history afresh.
    static func clear(roomNID: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM forward_extremities WHERE room_nid = ?", [.integer(roomNID)])
    }
}
