extension Migration {
    /// Indexes that keep two per-request costs bounded:
    /// - a user's re-authentication sessions are counted and the oldest dropped when a new one starts, by user;
    /// - `/sync` reads receipts per synced room within its stream range, never every room's receipts since an
    ///   old token (nor every receipt of a room for a recent one), so the stream-only index gives way to one by room.
    static let v9BoundedReads = Migration(
        version: 9,
        name: "bounded reads",
        sqlite: boundedReadsSQL,
        postgres: boundedReadsSQL
    )

    private static let boundedReadsSQL = """
        CREATE INDEX ui_auth_sessions_user ON ui_auth_sessions (user_id, created_ts, session_id);
        DROP INDEX receipts_stream;
        CREATE INDEX receipts_room_stream ON receipts (room_id, stream_id);
        """
}
