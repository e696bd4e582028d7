import Storage

/// One backup as stored; `authData` is the JSON text the client gave.
struct BackupVersionRow: Sendable {
    var version: Int64
    var algorithm: String
    var authData: String
    var etag: Int64
    var keyCount: Int64
}

/// The only SQL touching `e2e_room_keys_versions` (created by migration 0016, `KeyBackup`): each user's backups,
/// numbered per user, a deleted one kept only as a number that is not reused.
enum BackupVersionsTable {
    /// Every change to a user's backups holds this until its transaction ends, as Synapse's per-user lock does: an
    /// upload compares against stored keys and a new backup takes the next number with no other change of the user's
    /// between. SQLite has one writer at a time already; PostgreSQL takes a transaction-scoped advisory lock keyed by
    /// two 32-bit numbers, 1219 (the proposal that brought backups) and the user ID's hash, a key space apart from the
    /// migrations' single 64-bit key.
    static func lockUser(_ userID: String, in transaction: any Transaction) throws(StorageError) {
        guard transaction.dialect == .postgres else { return }
        _ = try transaction.query("SELECT pg_advisory_xact_lock(1219, hashtext(?))", [.text(userID)])
    }

    /// The number after the user's highest, deleted backups included.
    static func nextVersion(userID: String, in transaction: any Transaction) throws(StorageError) -> Int64 {
        try transaction.queryValue(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM e2e_room_keys_versions WHERE user_id = ?", [.text(userID)], as: Int64.self
        )
    }

    static func insert(userID: String, version: Int64, algorithm: String, authData: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO e2e_room_keys_versions (user_id, version, algorithm, auth_data) VALUES (?, ?, ?, ?)",
            [.text(userID), .integer(version), .text(algorithm), .text(authData)]
        )
    }

    /// The backup `version` if it is not deleted, or with `version` `nil` the current one (the highest not deleted).
    static func live(userID: String, version: Int64?, in connection: any Connection) throws(StorageError) -> BackupVersionRow? {
        var params: [SQLValue] = [.text(userID)]
        if let version { params.append(.integer(version)) }
        return try connection.queryOne(
            """
            SELECT version, algorithm, auth_data, etag, key_count FROM e2e_room_keys_versions
            WHERE user_id = ? AND deleted = 0\(version == nil ? "" : " AND version = ?") ORDER BY version DESC LIMIT 1
            """,
            params
        ).map { row throws(StorageError) in
            BackupVersionRow(
                version: try row.decode("version"), algorithm: try row.decode("algorithm"), authData: try row.decode("auth_data"),
                etag: try row.decode("etag"), keyCount: try row.decode("key_count")
            )
        }
    }

    static func setAuthData(_ authData: String, userID: String, version: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "UPDATE e2e_room_keys_versions SET auth_data = ? WHERE user_id = ? AND version = ?",
            [.text(authData), .text(userID), .integer(version)]
        )
    }

    /// Records a change to the backup's keys: a new etag, and `added` more keys (fewer when negative).
    static func keysChanged(userID: String, version: Int64, added: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "UPDATE e2e_room_keys_versions SET etag = etag + 1, key_count = key_count + ? WHERE user_id = ? AND version = ?",
            [.integer(added), .text(userID), .integer(version)]
        )
    }

    /// Marks the backup deleted, whether it was already or not; `false` when the user never had it.
    static func markDeleted(userID: String, version: Int64, in transaction: any Transaction) throws(StorageError) -> Bool {
        try transaction.execute(
            "UPDATE e2e_room_keys_versions SET deleted = 1, key_count = 0 WHERE user_id = ? AND version = ?",
            [.text(userID), .integer(version)]
        ) > 0
    }

    /// Marks every backup of the user deleted (the numbers stay taken).
    static func markAllDeleted(userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("UPDATE e2e_room_keys_versions SET deleted = 1, key_count = 0 WHERE user_id = ?", [.text(userID)])
    }
}
