import MatrixTypes
import Storage

/// The only SQL touching `event_ids`, which interns event IDs (including events referenced before they arrive).
enum EventIDsTable {
    static func intern(_ eventID: EventID, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(
            table: "event_ids", id: "event_nid", columns: ["event_id"], values: [.text(eventID.rawValue)], in: transaction
        )
    }

    static func find(_ eventID: EventID, in connection: any Connection) throws(StorageError) -> Int64? {
        try connection.queryOne("SELECT event_nid FROM event_ids WHERE event_id = ?", [.text(eventID.rawValue)])?.decode(0)
    }

    static func eventID(nid: Int64, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne("SELECT event_id FROM event_ids WHERE event_nid = ?", [.integer(nid)])?.decode(0)
    }
}
