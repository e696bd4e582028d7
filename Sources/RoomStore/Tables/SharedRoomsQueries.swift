import Storage

/// Who shares rooms with whom, read from `room_memberships` (and, for encryption, whether a room holds an
/// accepted `m.room.encryption` state event, which no later event can take away).
extension RoomMembershipsTable {
    private static let encrypted = """
        EXISTS (SELECT 1 FROM events enc WHERE enc.room_nid = mine.room_nid AND enc.event_type = 'm.room.encryption'
            AND enc.state_key = '' AND enc.outlier = 0 AND enc.rejected_reason IS NULL)
        """

    /// Every user joined to a room `userID` is joined to (`userID` too, when joined anywhere).
    static func usersSharingJoinedRoom(with userID: String, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            """
            SELECT DISTINCT theirs.user_id FROM room_memberships mine
            JOIN room_memberships theirs ON theirs.room_nid = mine.room_nid AND theirs.membership = 'join'
            WHERE mine.user_id = ? AND mine.membership = 'join'
            """,
            [.text(userID)]
        ).map { row throws(StorageError) in try row.decode(0) }
    }

    /// Those of `candidates` joined to a room `userID` is joined to (an encrypted one, with `encryptedOnly`).
    static func sharingJoinedRoom(
        with userID: String, among candidates: [String], encryptedOnly: Bool, in connection: any Connection
    ) throws(StorageError) -> [String] {
        guard !candidates.isEmpty else { return [] }
        return try connection.query(
            """
            SELECT DISTINCT theirs.user_id FROM room_memberships mine
            JOIN room_memberships theirs ON theirs.room_nid = mine.room_nid AND theirs.membership = 'join'
            WHERE mine.user_id = ? AND mine.membership = 'join'
            AND theirs.user_id IN (\(placeholders(candidates.count)))
            \(encryptedOnly ? "AND " + encrypted : "")
            """,
            [.text(userID)] + candidates.map(SQLValue.text)
        ).map { row throws(StorageError) in try row.decode(0) }
    }

    /// Membership changes in `(after, upTo]` of the stream in encrypted rooms `userID` is joined to, and `userID`'s
    /// own changes in encrypted rooms, the first `limit`: `(room, user, membership)`.
    static func encryptedRoomChanges(
        seenBy userID: String, after: Int64, upTo: Int64, limit: Int, in connection: any Connection
    ) throws(StorageError) -> [(roomID: String, userID: String, membership: String)] {
        try connection.query(
            """
            SELECT r.room_id, theirs.user_id, theirs.membership FROM room_memberships mine
            JOIN room_memberships theirs ON theirs.room_nid = mine.room_nid
            JOIN events e ON e.event_nid = theirs.event_nid
            JOIN room_ids r ON r.room_nid = mine.room_nid
            WHERE mine.user_id = ? AND (mine.membership = 'join' OR theirs.user_id = mine.user_id)
            AND e.stream_ordering > ? AND e.stream_ordering <= ? AND \(encrypted)
            ORDER BY e.stream_ordering LIMIT ?
            """,
            [.text(userID), .integer(after), .integer(upTo), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode(0), try row.decode(1), try row.decode(2)) }
    }
}
