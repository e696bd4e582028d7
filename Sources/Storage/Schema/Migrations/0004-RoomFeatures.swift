extension Migration {
    /// What clients keep beside the room DAG: profiles, account data, receipts, aliases, the public room directory,
    /// stored filters, and redactions.
    ///
    /// Account data and receipts carry the stream ID of their last change, so incremental `/sync` reads only rows
    /// after its token. `redactions` lets readers serve a redacted event without scanning for its redaction.
    static let v4RoomFeatures = Migration(
        version: 4,
        name: "room features",
        sqlite: roomFeaturesSQL(.sqlite),
        postgres: roomFeaturesSQL(.postgres)
    )

    private static func roomFeaturesSQL(_ dialect: SQLDialect) -> String {
        """
        CREATE INDEX event_txn_ids_event ON event_txn_ids (event_nid);
        CREATE TABLE redactions (
            redacts_event_id TEXT NOT NULL,
            redaction_event_nid BIGINT NOT NULL,
            PRIMARY KEY (redacts_event_id, redaction_event_nid)
        );
        CREATE TABLE profiles (
            user_id TEXT PRIMARY KEY,
            displayname TEXT,
            avatar_url TEXT
        );
        CREATE TABLE account_data (
            user_id TEXT NOT NULL,
            room_id TEXT NOT NULL,
            data_type TEXT NOT NULL,
            content TEXT NOT NULL,
            stream_id BIGINT NOT NULL,
            PRIMARY KEY (user_id, room_id, data_type)
        );
        CREATE INDEX account_data_stream ON account_data (user_id, stream_id);
        CREATE TABLE receipts (
            room_id TEXT NOT NULL,
            receipt_type TEXT NOT NULL,
            user_id TEXT NOT NULL,
            thread_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            ts BIGINT NOT NULL,
            stream_id BIGINT NOT NULL,
            PRIMARY KEY (room_id, receipt_type, user_id, thread_id)
        );
        CREATE INDEX receipts_stream ON receipts (stream_id);
        CREATE TABLE room_aliases (
            room_alias TEXT PRIMARY KEY,
            room_id TEXT NOT NULL,
            creator TEXT NOT NULL
        );
        CREATE INDEX room_aliases_room ON room_aliases (room_id);
        CREATE TABLE room_directory (
            room_id TEXT PRIMARY KEY
        );
        CREATE TABLE user_filters (
            user_id TEXT NOT NULL,
            filter_id BIGINT NOT NULL,
            filter_json TEXT NOT NULL,
            PRIMARY KEY (user_id, filter_id)
        );
        """
    }
}
