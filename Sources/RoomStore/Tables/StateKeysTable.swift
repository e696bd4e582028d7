import MatrixTypes
import Storage

/// The only SQL touching `state_keys`, which interns `(type, state_key)` pairs for state group entries.
enum StateKeysTable {
    static func intern(_ key: StateKey, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try internedID(
            table: "state_keys", id: "state_key_nid", columns: ["event_type", "state_key"],
            values: [.text(key.type), .text(key.stateKey)], in: transaction
        )
    }
}

extension StateKeysTable {
    /// The NIDs of those of `keys` ever interned (a slot never filled has none).
    static func find(_ keys: [StateKey], in connection: any Connection) throws(StorageError) -> [StateKey: Int64] {
        var found: [StateKey: Int64] = [:]
        for key in keys {
            if let nid: Int64 = try connection.queryOne(
                "SELECT state_key_nid FROM state_keys WHERE event_type = ? AND state_key = ?", [.text(key.type), .text(key.stateKey)]
            )?.decode(0) {
                found[key] = nid
            }
        }
        return found
    }
}
