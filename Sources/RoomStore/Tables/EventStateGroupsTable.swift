import MatrixTypes
import Storage

/// The only SQL touching `event_state_groups` (migration 0003, `Rooms`): the group holding the room's state after each
/// non-outlier event.
enum EventStateGroupsTable {
    /// Records the state group after each event, a statement per 500 events.
    static func insert(_ rows: [(eventNID: Int64, group: Int64)], in transaction: any Transaction) throws(StorageError) {
        try forEachChunk(of: rows, size: 500) { chunk throws(StorageError) in
            try transaction.execute(
                "INSERT INTO event_state_groups (event_nid, state_group) VALUES \(valueRows(chunk.count, columns: 2))",
                chunk.flatMap { [SQLValue.integer($0.eventNID), .integer($0.group)] }
            )
        }
    }

    /// The group holding the state after `eventID`, or `nil` for an unknown event or an outlier.
    static func group(after eventID: EventID, in connection: any Connection) throws(StorageError) -> Int64? {
        try connection.queryOne(
            "SELECT g.state_group FROM event_ids i JOIN event_state_groups g ON g.event_nid = i.event_nid WHERE i.event_id = ?",
            [.text(eventID.rawValue)]
        )?.decode(0)
    }
}

extension EventStateGroupsTable {
    /// The state group after each of `eventIDs` that has one, keyed by the event ID's bytes.
    static func groups(eventIDs: [String], in connection: any Connection) throws(StorageError) -> [[UInt8]: Int64] {
        guard !eventIDs.isEmpty else { return [:] }
        var groups: [[UInt8]: Int64] = [:]
        for row in try connection.query(
            """
            SELECT i.event_id, g.state_group FROM event_ids i JOIN event_state_groups g ON g.event_nid = i.event_nid
            WHERE i.event_id IN (\(placeholders(eventIDs.count)))
            """,
            eventIDs.map(SQLValue.text)
        ) {
            groups[Array(try row.decode("event_id", as: String.self).utf8)] = try row.decode("state_group")
        }
        return groups
    }
}
