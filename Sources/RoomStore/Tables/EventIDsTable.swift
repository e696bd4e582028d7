import MatrixTypes
import Storage

/// The only SQL touching `event_ids`, which interns event IDs (including events referenced before they arrive).
enum EventIDsTable {
    static func intern(_ eventID: EventID, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(
            table: "event_ids", id: "event_nid", columns: ["event_id"], values: [.text(eventID.rawValue)], in: transaction
        )
    }
}
