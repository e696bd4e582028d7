import Storage

/// The only SQL touching `event_state_groups`: the group holding the room's state after each non-outlier event.
enum EventStateGroupsTable {
    static func insert(eventNID: Int64, group: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO event_state_groups (event_nid, state_group) VALUES (?, ?)", [.integer(eventNID), .integer(group)]
        )
    }

    static func group(eventNID: Int64, in connection: any Connection) throws(StorageError) -> Int64? {
        try connection.queryOne("SELECT state_group FROM event_state_groups WHERE event_nid = ?", [.integer(eventNID)])?.decode(0)
    }
}
