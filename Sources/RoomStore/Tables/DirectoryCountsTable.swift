import Storage

/// The only SQL keeping `room_directory.joined_members` (migration 0004, `RoomFeatures`) current: the listing order of
/// `/publicRooms`.
enum DirectoryCountsTable {
    /// Recounts the room's joined members if the room is listed (an unlisted room matches no row and costs no count).
    /// Recounting rather than adding a difference corrects any drift from a listing that raced a membership change.
    static func recount(roomNID: Int64, roomID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            UPDATE room_directory SET joined_members = (
                SELECT COUNT(*) FROM room_memberships WHERE room_nid = ? AND membership = 'join'
            ) WHERE room_id = ?
            """,
            [.integer(roomNID), .text(roomID)]
        )
    }
}
