import Storage

/// One row of `ui_auth_sessions`: what a session was started for and what the server keeps between its requests.
struct UIASessionRow: Sendable {
    var sessionID: String
    var createdAt: Int64
    var operation: String
    /// The authenticated user who started it; `nil` for registration.
    var userID: String?
    /// The request's parameters (JSON), without `auth` and without any password.
    var params: String
    /// A new password, hashed on the first request so the client need not send it again.
    var passwordHash: String?
    /// Set once registration created the account, so a retried final request does not create a second one.
    var registeredUserID: String?
}

/// The only SQL touching `ui_auth_sessions` and `ui_auth_session_stages` (migration 0002, `Accounts`).
enum UIASessionsTable {
    static func insert(_ session: UIASessionRow, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "INSERT INTO ui_auth_sessions (session_id, created_ts, operation, user_id, params) VALUES (?, ?, ?, ?, ?)",
            [.text(session.sessionID), .integer(session.createdAt), .text(session.operation), SQLValue(session.userID), .text(session.params)]
        )
    }

    static func find(_ sessionID: String, createdAfter cutoff: Int64, in connection: any Connection) throws(StorageError) -> UIASessionRow? {
        guard
            let row = try connection.queryOne(
                """
                SELECT session_id, created_ts, operation, user_id, params, password_hash, registered_user_id
                FROM ui_auth_sessions WHERE session_id = ? AND created_ts > ?
                """,
                [.text(sessionID), .integer(cutoff)]
            )
        else { return nil }
        return UIASessionRow(
            sessionID: try row.decode("session_id"), createdAt: try row.decode("created_ts"), operation: try row.decode("operation"),
            userID: try row.decode("user_id"), params: try row.decode("params"), passwordHash: try row.decode("password_hash"),
            registeredUserID: try row.decode("registered_user_id")
        )
    }

    static func setParams(_ params: String, for sessionID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("UPDATE ui_auth_sessions SET params = ? WHERE session_id = ?", [.text(params), .text(sessionID)])
    }

    static func setPasswordHash(_ hash: String, for sessionID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("UPDATE ui_auth_sessions SET password_hash = ? WHERE session_id = ?", [.text(hash), .text(sessionID)])
    }

    static func setRegisteredUser(_ userID: String, for sessionID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "UPDATE ui_auth_sessions SET registered_user_id = ? WHERE session_id = ?", [.text(userID), .text(sessionID)]
        )
    }

    /// Sessions expire after a while; they are swept whenever a new one starts, so no background job is needed.
    static func deleteCreated(before cutoff: Int64, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            "DELETE FROM ui_auth_session_stages WHERE session_id IN (SELECT session_id FROM ui_auth_sessions WHERE created_ts <= ?)",
            [.integer(cutoff)]
        )
        try transaction.execute("DELETE FROM ui_auth_sessions WHERE created_ts <= ?", [.integer(cutoff)])
    }

    /// Drops all but the `keep` newest sessions of `userID` (of registration, which has no user, when `nil`) with
    /// their stages. Found by index from the newest end, so the cost is `keep` index entries, not the table.
    static func deleteAllButNewest(_ keep: Int, of userID: String?, in transaction: any Transaction) throws(StorageError) {
        let owner = userID == nil ? "user_id IS NULL" : "user_id = ?"
        let ownerParams: [SQLValue] = userID.map { [.text($0)] } ?? []
        guard
            let newestDropped = try transaction.queryOne(
                "SELECT created_ts, session_id FROM ui_auth_sessions WHERE \(owner) ORDER BY created_ts DESC, session_id DESC LIMIT 1 OFFSET ?",
                ownerParams + [.integer(Int64(keep))]
            )
        else { return }
        let createdAt: Int64 = try newestDropped.decode("created_ts")
        let sessionID: String = try newestDropped.decode("session_id")
        let notNewer = "\(owner) AND (created_ts < ? OR (created_ts = ? AND session_id <= ?))"
        let params = ownerParams + [.integer(createdAt), .integer(createdAt), .text(sessionID)]
        try transaction.execute(
            "DELETE FROM ui_auth_session_stages WHERE session_id IN (SELECT session_id FROM ui_auth_sessions WHERE \(notNewer))", params
        )
        try transaction.execute("DELETE FROM ui_auth_sessions WHERE \(notNewer)", params)
    }

    static func markStageComplete(
        _ stage: String, result: String, for sessionID: String, in transaction: any Transaction
    ) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO ui_auth_session_stages (session_id, stage_type, result) VALUES (?, ?, ?)
            ON CONFLICT (session_id, stage_type) DO UPDATE SET result = excluded.result
            """,
            [.text(sessionID), .text(stage), .text(result)]
        )
    }

    /// Completed stage types and their results (the authenticated user ID for `m.login.password`).
    static func completedStages(of sessionID: String, in connection: any Connection) throws(StorageError) -> [String: String] {
        var stages: [String: String] = [:]
        for row in try connection.query(
            "SELECT stage_type, result FROM ui_auth_session_stages WHERE session_id = ?", [.text(sessionID)]
        ) {
            stages[try row.decode("stage_type")] = try row.decode("result")
        }
        return stages
    }
}
