extension Migration {
    /// Finds one user's membership history in a room without scanning the room's messages (history
    /// visibility needs the join that began the current membership).
    static let v7StateEventIndex = Migration(
        version: 7,
        name: "state event index",
        sqlite: "CREATE INDEX events_room_state ON events (room_nid, event_type, state_key, stream_ordering);",
        postgres: "CREATE INDEX events_room_state ON events (room_nid, event_type, state_key, stream_ordering);"
    )
}
