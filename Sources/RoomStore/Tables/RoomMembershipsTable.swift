import Storage

/// The only SQL touching `room_memberships` (migration 0003, `Rooms`): each user's current membership of each room.
enum RoomMembershipsTable {
    static func upsert(roomNID: Int64, userID: String, membership: String, eventNID: Int64, in transaction: any Transaction)
        throws(StorageError)
    {
        try transaction.execute(
            """
            INSERT INTO room_memberships (room_nid, user_id, membership, event_nid) VALUES (?, ?, ?, ?)
            ON CONFLICT (room_nid, user_id) DO UPDATE SET membership = excluded.membership, event_nid = excluded.event_nid
            """,
            [.integer(roomNID), .text(userID), .text(membership), .integer(eventNID)]
        )
    }

    static func membership(roomNID: Int64, userID: String, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            "SELECT membership FROM room_memberships WHERE room_nid = ? AND user_id = ?", [.integer(roomNID), .text(userID)]
        )?.decode(0)
    }

    static func members(roomNID: Int64, membership: String, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            "SELECT user_id FROM room_memberships WHERE room_nid = ? AND membership = ? ORDER BY user_id",
            [.integer(roomNID), .text(membership)]
        ).map { row throws(StorageError) in try row.decode(0) }
    }

    /// Whether a user whose ID ends in `suffix` (`:server`) holds `membership` in the room: one row found, not the
    /// room's members read. The suffix is compared by characters from the end, exactly (no pattern, no case folding).
    static func anyMember(roomNID: Int64, membership: String, endingWith suffix: String, in connection: any Connection) throws(StorageError) -> Bool {
        try connection.queryOne(
            """
            SELECT 1 FROM room_memberships WHERE room_nid = ? AND membership = ?
            AND length(user_id) > ? AND substr(user_id, length(user_id) - CAST(? AS INTEGER) + 1) = ? LIMIT 1
            """,
            [.integer(roomNID), .text(membership), .integer(Int64(suffix.unicodeScalars.count)), .integer(Int64(suffix.unicodeScalars.count)), .text(suffix)]
        ) != nil
    }

    /// How many users hold each membership of the room.
    static func counts(roomNID: Int64, in connection: any Connection) throws(StorageError) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try connection.query(
            "SELECT membership, COUNT(*) FROM room_memberships WHERE room_nid = ? GROUP BY membership", [.integer(roomNID)]
        ) {
            counts[try row.decode(0)] = try row.decode(1)
        }
        return counts
    }

    /// The room's first `limit` members, joined ones first, then invited, then those who left, then the rest, each
    /// group by the stream ordering of the member's current event (Synapse's order for room summaries).
    static func first(_ limit: Int, roomNID: Int64, in connection: any Connection) throws(StorageError) -> [Row] {
        try connection.query(
            """
            SELECT m.user_id, m.membership, i.event_id FROM room_memberships m
            JOIN events e ON e.event_nid = m.event_nid JOIN event_ids i ON i.event_nid = m.event_nid
            WHERE m.room_nid = ?
            ORDER BY CASE m.membership WHEN 'join' THEN 1 WHEN 'invite' THEN 2 WHEN 'leave' THEN 3 ELSE 4 END, e.stream_ordering
            LIMIT ?
            """,
            [.integer(roomNID), .integer(Int64(limit))]
        )
    }

    static func rooms(userID: String, membership: String, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            """
            SELECT r.room_id FROM room_memberships m JOIN room_ids r ON r.room_nid = m.room_nid
            WHERE m.user_id = ? AND m.membership = ? ORDER BY r.room_id
            """,
            [.text(userID), .text(membership)]
        ).map { row throws(StorageError) in try row.decode(0) }
    }
}

extension RoomMembershipsTable {
    /// Every membership of `userID` with the event that set it and its stream ordering.
    static func all(userID: String, roomID: String? = nil, in connection: any Connection) throws(StorageError) -> [Row] {
        try connection.query(
            """
            SELECT r.room_id, m.membership, i.event_id, e.stream_ordering, f.event_nid AS forgotten FROM room_memberships m
            JOIN room_ids r ON r.room_nid = m.room_nid JOIN event_ids i ON i.event_nid = m.event_nid
            JOIN events e ON e.event_nid = m.event_nid
            LEFT JOIN forgotten_rooms f ON f.user_id = m.user_id AND f.room_nid = m.room_nid AND f.event_nid = m.event_nid
            WHERE m.user_id = ?\(roomID == nil ? "" : " AND r.room_id = ?")
            """,
            [.text(userID)] + (roomID.map { [.text($0)] } ?? [])
        )
    }
}

extension RoomMembershipsTable {
    /// Marks `userID`'s current membership of the room as forgotten; returns `false` when there is none.
    static func forget(userID: String, roomNID: Int64, in transaction: any Transaction) throws(StorageError) -> Bool {
        guard let event: Int64 = try transaction.queryOne(
            "SELECT event_nid FROM room_memberships WHERE room_nid = ? AND user_id = ?", [.integer(roomNID), .text(userID)]
        )?.decode(0) else { return false }
        try transaction.execute(
            """
            INSERT INTO forgotten_rooms (user_id, room_nid, event_nid) VALUES (?, ?, ?)
            ON CONFLICT (user_id, room_nid) DO UPDATE SET event_nid = excluded.event_nid
            """,
            [.text(userID), .integer(roomNID), .integer(event)]
        )
        return true
    }
}
