extension Migration {
    /// Room data: events as received, interned identifiers, state groups, forward extremities, transaction IDs
    /// and current memberships.
    ///
    /// Events keep their raw JSON bytes because re-encoding changes their hash. State is stored as groups, each
    /// either a full snapshot or a delta over an earlier group, so it grows with state changes rather than with
    /// events. Hot joins use integer IDs (`*_nid`) instead of identifier strings.
    static let v3Rooms = Migration(
        version: 3,
        name: "rooms",
        sqlite: roomsSQL(.sqlite),
        postgres: roomsSQL(.postgres)
    )

    private static func roomsSQL(_ dialect: SQLDialect) -> String {
        """
        CREATE TABLE room_ids (
            room_nid \(dialect.autoIncrementPrimaryKey),
            room_id TEXT NOT NULL UNIQUE
        );
        CREATE TABLE event_ids (
            event_nid \(dialect.autoIncrementPrimaryKey),
            event_id TEXT NOT NULL UNIQUE
        );
        CREATE TABLE state_keys (
            state_key_nid \(dialect.autoIncrementPrimaryKey),
            event_type TEXT NOT NULL,
            state_key TEXT NOT NULL,
            UNIQUE (event_type, state_key)
        );
        CREATE TABLE events (
            event_nid BIGINT PRIMARY KEY,
            room_nid BIGINT NOT NULL,
            stream_ordering BIGINT NOT NULL UNIQUE,
            topological_ordering BIGINT NOT NULL,
            event_type TEXT NOT NULL,
            state_key TEXT,
            sender TEXT NOT NULL,
            outlier INTEGER NOT NULL,
            rejected_reason TEXT,
            soft_failed INTEGER NOT NULL,
            instance_name TEXT NOT NULL,
            json \(dialect.blobType) NOT NULL
        );
        CREATE INDEX events_room_stream ON events (room_nid, stream_ordering);
        CREATE INDEX events_room_topological ON events (room_nid, topological_ordering, stream_ordering);
        CREATE TABLE state_groups (
            state_group \(dialect.autoIncrementPrimaryKey),
            room_nid BIGINT NOT NULL,
            prev_group BIGINT,
            chain_length INTEGER NOT NULL,
            delta_rows BIGINT NOT NULL,
            snapshot_rows BIGINT NOT NULL
        );
        CREATE TABLE state_group_entries (
            state_group BIGINT NOT NULL,
            state_key_nid BIGINT NOT NULL,
            event_nid BIGINT NOT NULL,
            PRIMARY KEY (state_group, state_key_nid)
        );
        CREATE TABLE event_state_groups (
            event_nid BIGINT PRIMARY KEY,
            state_group BIGINT NOT NULL
        );
        CREATE TABLE forward_extremities (
            room_nid BIGINT NOT NULL,
            event_nid BIGINT NOT NULL,
            PRIMARY KEY (room_nid, event_nid)
        );
        CREATE TABLE event_txn_ids (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            txn_id TEXT NOT NULL,
            event_nid BIGINT NOT NULL,
            PRIMARY KEY (user_id, device_id, txn_id)
        );
        CREATE TABLE room_memberships (
            room_nid BIGINT NOT NULL,
            user_id TEXT NOT NULL,
            membership TEXT NOT NULL,
            event_nid BIGINT NOT NULL,
            PRIMARY KEY (room_nid, user_id)
        );
        CREATE INDEX room_memberships_user ON room_memberships (user_id, membership);
        """
    }
}
