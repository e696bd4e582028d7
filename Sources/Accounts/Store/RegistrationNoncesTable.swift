import Storage

/// The only SQL touching `registration_nonces`. Nonces live in the database (Synapse keeps them in process
/// memory) so one fetched from any process is accepted by any other on the same database.
enum RegistrationNoncesTable {
    static func insert(_ nonce: String, at now: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("INSERT INTO registration_nonces (nonce, created_ts) VALUES (?, ?)", [.text(nonce), .integer(now)])
    }

    static func deleteCreated(before cutoff: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM registration_nonces WHERE created_ts < ?", [.integer(cutoff)])
    }

    /// Deletes the nonce and reports whether it existed and was created at or after `cutoff`.
    static func consume(_ nonce: String, createdSince cutoff: Int64, in transaction: any Transaction) throws(StorageError) -> Bool {
        let created: Int64? = try transaction.queryOne("SELECT created_ts FROM registration_nonces WHERE nonce = ?", [.text(nonce)])?
            .decode("created_ts")
        guard let created else { return false }
        try transaction.execute("DELETE FROM registration_nonces WHERE nonce = ?", [.text(nonce)])
        return created >= cutoff
    }
}
