extension Migration {
    /// `room_hierarchy_sessions`: where a `/hierarchy` walk stands between pages (the rooms still to visit and those
    /// visited), under the random token its page answered as `next_batch`, for the user and parameters it began with.
    /// Any process serving the route continues any walk; rows expire after minutes.
    static let v14HierarchySessions = Migration(
        version: 14,
        name: "hierarchy_sessions",
        sqlite: hierarchySessionsSQL,
        postgres: hierarchySessionsSQL
    )

    private static let hierarchySessionsSQL = """
        CREATE TABLE room_hierarchy_sessions (
            token TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            created_ms BIGINT NOT NULL,
            session TEXT NOT NULL
        );
        CREATE INDEX room_hierarchy_sessions_user ON room_hierarchy_sessions (user_id, created_ms);
        CREATE INDEX room_hierarchy_sessions_created ON room_hierarchy_sessions (created_ms);
        """
}
