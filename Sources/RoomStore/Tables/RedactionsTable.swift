import Storage

/// The only SQL writing `redactions` (migration 0004, `RoomFeatures`): which redaction removed an event's content, so
/// readers need no scan.
enum RedactionsTable {
    static func insert(redactedEventID: String, redactionNID: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO redactions (redacts_event_id, redaction_event_nid) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [.text(redactedEventID), .integer(redactionNID)]
        )
    }
}
