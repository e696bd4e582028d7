import Storage

/// The only SQL touching `device_inbox_transactions` (migration 0015): `/sendToDevice` transaction IDs already used.
enum DeviceInboxTransactionsTable {
    /// Records the transaction; `false` when the sender's device already used it.
    static func record(userID: String, deviceID: String, txnID: String, now: Int64, in transaction: any Transaction) throws(StorageError) -> Bool {
        try transaction.execute(
            """
            INSERT INTO device_inbox_transactions (user_id, device_id, txn_id, added_ms) VALUES (?, ?, ?, ?)
            ON CONFLICT (user_id, device_id, txn_id) DO NOTHING
            """,
            [.text(userID), .text(deviceID), .text(txnID), .integer(now)]
        ) == 1
    }

    /// Forgets transactions recorded before `cutoff` (a client retries within minutes, not days).
    static func prune(before cutoff: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM device_inbox_transactions WHERE added_ms < ?", [.integer(cutoff)])
    }

    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) {
        guard !deviceIDs.isEmpty else { return }
        try transaction.execute(
            "DELETE FROM device_inbox_transactions WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count)))",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        )
    }
}
