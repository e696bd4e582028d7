import Storage

/// The only SQL of this module touching `room_directory` (created by migration 0004, `RoomFeatures`; ordered by
/// 0008, `DirectoryOrder`): the listed rooms with their joined member count, which the room writer keeps current
/// while a room is listed.
enum RoomDirectoryTable {
    /// Lists a room with its joined member count now, counted from the room store's memberships.
    static func list(roomID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO room_directory (room_id, joined_members) VALUES (?, (
                SELECT COUNT(*) FROM room_memberships m JOIN room_ids r ON r.room_nid = m.room_nid
                WHERE r.room_id = ? AND m.membership = 'join'
            )) ON CONFLICT DO NOTHING
            """,
            [.text(roomID), .text(roomID)]
        )
    }

    static func unlist(roomID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM room_directory WHERE room_id = ?", [.text(roomID)])
    }

    static func isListed(roomID: String, in connection: any Connection) throws(StorageError) -> Bool {
        try connection.queryOne("SELECT 1 FROM room_directory WHERE room_id = ?", [.text(roomID)]) != nil
    }

    /// Up to `limit` listed rooms in listing order (most joined members first, then room ID descending) strictly
    /// after `cursor`, or strictly before it when `backward` (then nearest first). Reads only the rows it returns.
    static func page(after cursor: DirectoryCursor?, backward: Bool, limit: Int, in connection: any Connection) throws(StorageError)
        -> [DirectoryCursor]
    {
        var conditions = ""
        var params: [SQLValue] = []
        if let cursor {
            let sign = backward ? ">" : "<"
            conditions = "WHERE joined_members \(sign) ? OR (joined_members = ? AND room_id \(sign) ?)"
            params = [.integer(cursor.joinedMembers), .integer(cursor.joinedMembers), .text(cursor.roomID)]
        }
        let order = backward ? "ASC" : "DESC"
        return try connection.query(
            "SELECT room_id, joined_members FROM room_directory \(conditions) ORDER BY joined_members \(order), room_id \(order) LIMIT ?",
            params + [.integer(Int64(limit))]
        ).map { row throws(StorageError) in DirectoryCursor(joinedMembers: try row.decode("joined_members"), roomID: try row.decode("room_id")) }
    }

    static func count(in connection: any Connection) throws(StorageError) -> Int64 {
        try connection.queryValue("SELECT COUNT(*) FROM room_directory", as: Int64.self)
    }
}
