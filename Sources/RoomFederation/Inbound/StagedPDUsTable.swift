import Storage

/// The only SQL touching `federation_inbound_transactions` and `federation_staged_pdus` (migration 0011, `Federation`).
enum StagedPDUsTable {
    struct Row: Sendable {
        var stagedID: Int64
        var origin: String
        var roomID: String
        var eventID: String
        var json: [UInt8]
    }

    /// Records the transaction; `false` when it was recorded before (its PDUs are staged already).
    static func recordTransaction(origin: String, txnID: String, now: Int64, in transaction: any Transaction) throws(StorageError) -> Bool {
        try transaction.execute(
            "INSERT INTO federation_inbound_transactions (origin, txn_id, received_ts) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            [.text(origin), .text(txnID), .integer(now)]
        ) == 1
    }

    /// Forgets transactions received before `cutoff`: a retry comes within minutes, not days.
    static func pruneTransactions(before cutoff: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM federation_inbound_transactions WHERE received_ts < ?", [.integer(cutoff)])
    }

    static func stage(_ rows: [Row], instance: String, now: Int64, in transaction: any Transaction) throws(StorageError) {
        for row in rows {
            try transaction.execute(
                "INSERT INTO federation_staged_pdus (instance_name, origin, room_id, event_id, received_ts, json) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(instance), .text(row.origin), .text(row.roomID), .text(row.eventID), .integer(now), .blob(row.json)]
            )
        }
    }

    /// The oldest PDUs `instance` staged, in the order they arrived.
    static func oldest(instance: String, limit: Int, in connection: any Connection) throws(StorageError) -> [Row] {
        try connection.query(
            """
            SELECT staged_id, origin, room_id, event_id, json FROM federation_staged_pdus
            WHERE instance_name = ? ORDER BY staged_id LIMIT ?
            """,
            [.text(instance), .integer(Int64(limit))]
        ).map { row throws(StorageError) in
            Row(
                stagedID: try row.decode("staged_id"), origin: try row.decode("origin"), roomID: try row.decode("room_id"),
                eventID: try row.decode("event_id"), json: try row.decode("json")
            )
        }
    }

    static func delete(_ stagedID: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM federation_staged_pdus WHERE staged_id = ?", [.integer(stagedID)])
    }
}
