import MatrixTypes
import Storage

/// The only SQL touching `event_ids` (migration 0003, `Rooms`), which interns event IDs (including events referenced
/// before they arrive).
enum EventIDsTable {
    static func intern(_ eventID: EventID, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(
            table: "event_ids", id: "event_nid", columns: ["event_id"], values: [.text(eventID.rawValue)], in: transaction
        )
    }

    /// Interns every one of `eventIDs` with one statement per 500 IDs (two when some were interned before), inserted
    /// in sorted order (so concurrent writers lock rows in the same order); returns the NIDs keyed by the IDs' bytes.
    static func intern(_ eventIDs: Set<EventID>, in transaction: any Transaction) throws(StorageError) -> [[UInt8]: Int64] {
        let sorted = eventIDs.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var nids: [[UInt8]: Int64] = [:]
        func collect(_ rows: [Row]) throws(StorageError) {
            for row in rows { nids[Array(try row.decode("event_id", as: String.self).utf8)] = try row.decode("event_nid") }
        }
        try forEachChunk(of: sorted, size: 500) { chunk throws(StorageError) in
            try collect(transaction.query(
                """
                INSERT INTO event_ids (event_id) VALUES \(valueRows(chunk.count, columns: 1)) ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id, event_nid
                """,
                chunk.map(SQLValue.text)
            ))
            let existing = chunk.filter { nids[Array($0.utf8)] == nil }
            guard !existing.isEmpty else { return }
            try collect(transaction.query(
                "SELECT event_id, event_nid FROM event_ids WHERE event_id IN (\(placeholders(existing.count)))", existing.map(SQLValue.text)
            ))
        }
        return nids
    }
}
