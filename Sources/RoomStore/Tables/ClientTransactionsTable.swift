import MatrixTypes
import Storage

/// The only SQL touching `client_transactions` (migration 0006, `TransactionScopes`): which event a client transaction
/// produced.
enum ClientTransactionsTable {
    /// Records which event each client transaction produced, a few hundred per statement. Fails with
    /// `.uniqueViolation` when one of them already produced an event.
    static func insert(_ rows: [(key: ClientTransaction, eventNID: Int64)], in transaction: any Transaction) throws(StorageError) {
        try forEachChunk(of: rows, size: 200) { chunk throws(StorageError) in
            try transaction.execute(
                "INSERT INTO client_transactions (user_id, device_id, scope, txn_id, event_nid) VALUES \(valueRows(chunk.count, columns: 5))",
                chunk.flatMap { row in
                    [SQLValue.text(row.key.userID.rawValue), .text(row.key.deviceID), .text(row.key.scope), .text(row.key.txnID), .integer(row.eventNID)]
                }
            )
        }
    }

    static func find(_ key: ClientTransaction, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            """
            SELECT i.event_id FROM client_transactions t JOIN event_ids i ON i.event_nid = t.event_nid
            WHERE t.user_id = ? AND t.device_id = ? AND t.scope = ? AND t.txn_id = ?
            """,
            [.text(key.userID.rawValue), .text(key.deviceID), .text(key.scope), .text(key.txnID)]
        )?.decode(0)
    }
}

extension ClientTransactionsTable {
    /// Keys per statement, however many sends a batch retries: each key is one `OR` term, and SQLite refuses an
    /// expression deeper than 1,000 terms (and more than 32,766 parameters, four per key).
    static let keysPerQuery = 200

    /// The events already produced by any of `keys`, with their room and stream ordering.
    static func findAll(_ keys: [ClientTransaction], in connection: any Connection) throws(StorageError) -> [Row] {
        var rows: [Row] = []
        for start in stride(from: 0, to: keys.count, by: keysPerQuery) {
            rows += try findChunk(keys[start..<min(start + keysPerQuery, keys.count)], in: connection)
        }
        return rows
    }

    private static func findChunk(_ keys: ArraySlice<ClientTransaction>, in connection: any Connection) throws(StorageError) -> [Row] {
        let match = Array(repeating: "(t.user_id = ? AND t.device_id = ? AND t.scope = ? AND t.txn_id = ?)", count: keys.count)
            .joined(separator: " OR ")
        return try connection.query(
            """
            SELECT t.user_id, t.device_id, t.scope, t.txn_id, i.event_id, r.room_id, e.stream_ordering FROM client_transactions t
            JOIN event_ids i ON i.event_nid = t.event_nid JOIN events e ON e.event_nid = t.event_nid
            JOIN room_ids r ON r.room_nid = e.room_nid
            WHERE \(match)
            """,
            keys.flatMap { [SQLValue.text($0.userID.rawValue), .text($0.deviceID), .text($0.scope), .text($0.txnID)] }
        )
    }
}
