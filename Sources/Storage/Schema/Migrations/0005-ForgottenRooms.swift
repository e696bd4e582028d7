extension Migration {
    /// Rooms a user forgot after leaving: the membership event they forgot, so a later membership brings the
    /// room back.
    static let v5ForgottenRooms = Migration(
        version: 5,
        name: "forgotten rooms",
        sqlite: forgottenSQL,
        postgres: forgottenSQL
    )

    private static let forgottenSQL = """
        CREATE TABLE forgotten_rooms (
            user_id TEXT NOT NULL,
            room_nid BIGINT NOT NULL,
            event_nid BIGINT NOT NULL,
            PRIMARY KEY (user_id, room_nid)
        );
        """
}
