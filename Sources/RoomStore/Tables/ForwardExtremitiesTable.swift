import Storage

/// The only SQL touching `forward_extremities`: each room's events that no stored event lists as a prev event yet.
enum ForwardExtremitiesTable {
    /// Makes `eventNID` an extremity in place of the prev events it builds on.
    static func advance(roomNID: Int64, eventNID: Int64, replacing prevNIDs: [Int64], in transaction: any Transaction)
        throws(StorageError)
    {
        if !prevNIDs.isEmpty {
            try transaction.execute(
                "DELETE FROM forward_extremities WHERE room_nid = ? AND event_nid IN (\(placeholders(prevNIDs.count)))",
                [.integer(roomNID)] + prevNIDs.map(SQLValue.integer)
            )
        }
        try transaction.execute(
            "INSERT INTO forward_extremities (room_nid, event_nid) VALUES (?, ?) ON CONFLICT (room_nid, event_nid) DO NOTHING",
            [.integer(roomNID), .integer(eventNID)]
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
}
