import MatrixTypes
import Storage

/// The only SQL touching `event_ids`, which interns event IDs (including events referenced before they arrive).
enum EventIDsTable {
    static func intern(_ eventID: EventID, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(
            table: "event_ids", id: "event_nid", columns: ["event_id"], values: [.text(eventID.rawValue)], in: transaction
        )
    }

    /// Interns every one of `eventIDs` with two statements per 500 IDs, inserted in sorted order (so concurrent
    /// writers lock rows in the same order); returns the NIDs keyed by the IDs' bytes.
    static func intern(_ eventIDs: Set<EventID>, in transaction: any Transaction) throws(StorageError) -> [[UInt8]: Int64] {
        let sorted = eventIDs.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var nids: [[UInt8]: Int64] = [:]
        try forEachChunk(of: sorted, size: 500) { chunk throws(StorageError) in
            let values = chunk.map(SQLValue.text)
            try transaction.execute(
                "INSERT INTO event_ids (event_id) VALUES \(valueRows(chunk.count, columns: 1)) ON CONFLICT (event_id) DO NOTHING", values
            )
            for row in try transaction.query(
                "SELECT event_id, event_nid FROM event_ids WHERE event_id IN (\(placeholders(chunk.count)))", values
            ) {
                nids[Array(try row.decode("event_id", as: String.self).utf8)] = try row.decode("event_nid")
            }
        }
        return nids
    }
}
