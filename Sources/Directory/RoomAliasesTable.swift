import Storage

/// The only SQL touching `room_aliases` (created by migration 0004, `RoomFeatures`): local aliases, the room each
/// names (empty while reserved for a room being created) and who created it.
enum RoomAliasesTable {
    /// Fails with `StorageError.uniqueViolation` when the alias is taken.
    static func insert(alias: String, roomID: String, creator: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO room_aliases (room_alias, room_id, creator) VALUES (?, ?, ?)", [.text(alias), .text(roomID), .text(creator)]
        )
    }

    static func bind(alias: String, to roomID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("UPDATE room_aliases SET room_id = ? WHERE room_alias = ?", [.text(roomID), .text(alias)])
    }

    /// Deletes a reservation (an alias bound to no room yet).
    static func deleteReservation(alias: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM room_aliases WHERE room_alias = ? AND room_id = ''", [.text(alias)])
    }

    static func delete(alias: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM room_aliases WHERE room_alias = ?", [.text(alias)])
    }

    static func find(alias: String, in connection: any Connection) throws(StorageError) -> (roomID: String, creator: String)? {
        guard let row = try connection.queryOne("SELECT room_id, creator FROM room_aliases WHERE room_alias = ?", [.text(alias)]) else {
            return nil
        }
        return (try row.decode("room_id"), try row.decode("creator"))
    }

    static func aliases(ofRoom roomID: String, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query("SELECT room_alias FROM room_aliases WHERE room_id = ? ORDER BY room_alias", [.text(roomID)])
            .map { row throws(StorageError) in try row.decode(0, as: String.self) }
    }
}
