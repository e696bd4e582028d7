import Storage

/// The only SQL touching `federation_outbox` (migration 0015): EDUs for other servers that must not be lost.
enum FederationOutboxTable {
    static func insert(destination: String, edu: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("INSERT INTO federation_outbox (destination, edu_json) VALUES (?, ?)", [.text(destination), .text(edu)])
    }

    /// The destination's oldest `limit` EDUs.
    static func next(destination: String, limit: Int, in connection: any Connection) throws(StorageError) -> [(id: Int64, edu: String)] {
        try connection.query(
            "SELECT outbox_id, edu_json FROM federation_outbox WHERE destination = ? ORDER BY outbox_id LIMIT ?",
            [.text(destination), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("outbox_id"), try row.decode("edu_json")) }
    }

    static func delete(ids: [Int64], in transaction: any Transaction) throws(StorageError) {
        guard !ids.isEmpty else { return }
        try transaction.execute("DELETE FROM federation_outbox WHERE outbox_id IN (\(placeholders(ids.count)))", ids.map(SQLValue.integer))
    }

    /// Every destination with something waiting.
    static func destinations(in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query("SELECT DISTINCT destination FROM federation_outbox").map { row throws(StorageError) in try row.decode(0) }
    }
}
