import Storage

/// The only SQL touching `registration_nonces` (migration 0002, `Accounts`). Nonces live in the database (Synapse keeps
/// them in process memory) so one fetched from any process is accepted by any other on the same database.
enum RegistrationNoncesTable {
    static func insert(_ nonce: String, at now: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("INSERT INTO registration_nonces (nonce, created_ts) VALUES (?, ?)", [.text(nonce), .integer(now)])
    }

    static func deleteCreated(before cutoff: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM registration_nonces WHERE created_ts < ?", [.integer(cutoff)])
    }

    /// Drops the oldest nonces beyond `count`.
    static func keepNewest(_ count: Int, in transaction: any Transaction) throws(StorageError) {
        let stored: Int64 = try transaction.queryValue("SELECT COUNT(*) FROM registration_nonces")
        guard stored > count else { return }
        try transaction.execute(
            """
            DELETE FROM registration_nonces WHERE nonce IN (
                SELECT nonce FROM registration_nonces ORDER BY created_ts, nonce LIMIT ?
            )
            """,
            [.integer(stored - Int64(count))]
        )
    }

    /// Deletes the nonce and reports whether it existed and was created at or after `cutoff`. One statement
    /// both finds and deletes it, so of two requests racing with the same nonce only one sees it.
    static func consume(_ nonce: String, createdSince cutoff: Int64, in transaction: any Transaction) throws(StorageError) -> Bool {
        let created: Int64? = try transaction.queryOne(
            "DELETE FROM registration_nonces WHERE nonce = ? RETURNING created_ts", [.text(nonce)]
        )?.decode("created_ts")
        guard let created else { return false }
        return created >= cutoff
    }
}
