import MatrixTypes
import Storage

/// The only SQL touching `room_ids` (migration 0003, `Rooms`), which interns room IDs for the joins on `room_nid`.
enum RoomIDsTable {
    static func intern(_ roomID: RoomID, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(table: "room_ids", id: "room_nid", columns: ["room_id"], values: [.text(roomID.rawValue)], in: transaction)
    }

    static func find(_ roomID: RoomID, in connection: any Connection) throws(StorageError) -> Int64? {
        try connection.queryOne("SELECT room_nid FROM room_ids WHERE room_id = ?", [.text(roomID.rawValue)])?.decode(0)
    }
}
