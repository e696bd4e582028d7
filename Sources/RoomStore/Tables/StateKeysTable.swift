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
