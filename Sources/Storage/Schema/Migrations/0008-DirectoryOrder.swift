extension Migration {
    /// The public room directory keeps each listed room's joined member count, indexed in listing order, so a
    /// page of `/publicRooms` reads only that page's rows instead of every listed room.
    static let v8DirectoryOrder = Migration(
        version: 8,
        name: "directory order",
        sqlite: directoryOrderSQL,
        postgres: directoryOrderSQL
    )

    private static let directoryOrderSQL = """
        ALTER TABLE room_directory ADD COLUMN joined_members BIGINT NOT NULL DEFAULT 0;
        UPDATE room_directory SET joined_members = (
            SELECT COUNT(*) FROM room_memberships m JOIN room_ids r ON r.room_nid = m.room_nid
            WHERE r.room_id = room_directory.room_id AND m.membership = 'join'
        );
        CREATE INDEX room_directory_order ON room_directory (joined_members, room_id);
        """
}
