import MatrixTypes
import Storage

/// The only SQL touching `state_keys` (migration 0003, `Rooms`), which interns `(type, state_key)` pairs for state
/// group entries.
enum StateKeysTable {
    static func intern(_ key: StateKey, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(
            table: "state_keys", id: "state_key_nid", columns: ["event_type", "state_key"],
            values: [.text(key.type), .text(key.stateKey)], in: transaction
        )
    }
}

extension StateKeysTable {
    /// Keys looked up per statement: two parameters each, well under either engine's limit.
    private static let chunk = 200

    /// The NIDs of those of `keys` ever interned (a slot never filled has none), a statement per 200 keys. Written as a
    /// join, not a row-value `IN`, which SQLite answers by scanning the whole table.
    static func find(_ keys: [StateKey], in connection: any Connection) throws(StorageError) -> [StateKey: Int64] {
        var found: [StateKey: Int64] = [:]
        try forEachChunk(of: keys, size: chunk) { part throws(StorageError) in
            let rows = try connection.query(
                """
                SELECT s.event_type, s.state_key, s.state_key_nid
                FROM (VALUES \(valueRows(part.count, columns: 2))) AS k
                JOIN state_keys s ON s.event_type = k.column1 AND s.state_key = k.column2
                """,
                part.flatMap { [SQLValue.text($0.type), .text($0.stateKey)] }
            )
            for row in rows {
                found[StateKey(try row.decode("event_type"), try row.decode("state_key"))] = try row.decode("state_key_nid")
            }
        }
        return found
    }
}
