import CSQLite
import Storage

/// One libsqlite3 connection with its prepared-statement cache.
///
/// Opened in multi-thread mode (`SQLITE_OPEN_NOMUTEX`): SQLite does no locking of its own, so a
/// connection is only ever used by the one thread that holds it (the writer thread, or the reader
/// thread that checked it out), which is what makes the unchecked `Sendable` sound.
final class SQLiteConnection: Transaction, @unchecked Sendable {
    enum Role {
        case writer(durable: Bool)
        case reader
        /// Copies committed WAL frames into the database file, off the writer's path.
        case checkpointer
    }

    /// Statements beyond this many distinct SQL texts are dropped and prepared again on use.
    private static let statementCacheLimit = 256

    let dialect = SQLDialect.sqlite
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    private var isClosed = false
    /// The writer's statements count as writes, the readers' as reads; the checkpointer's are not counted.
    private let counters: DatabaseCounters?
    private let use: DatabaseCounters.Use

    init(path: String, role: Role, busyTimeoutMilliseconds: Int32, counters: DatabaseCounters? = nil) throws(StorageError) {
        self.counters = counters
        if case .reader = role { use = .read } else { use = .write }
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard let handle else { throw .connectionFailed(reason: "cannot open SQLite database at \(path): out of memory") }
        guard rc == SQLITE_OK else {
            let reason = "cannot open SQLite database at \(path): \(String(cString: sqlite3_errmsg(handle)))"
            sqlite3_close_v2(handle)
            throw .connectionFailed(reason: reason)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        do throws(StorageError) {
            switch role {
            case .writer(let durable):
                let mode = try queryValue("PRAGMA journal_mode = WAL", as: String.self)
                guard mode.lowercased() == "wal" else {
                    throw StorageError.connectionFailed(reason: "SQLite database at \(path) cannot use WAL mode (got \(mode))")
                }
                // Checkpoints run on their own connection (SQLiteCheckpointer), so a commit never waits for one.
                try executeScript(
                    "PRAGMA foreign_keys = ON; PRAGMA synchronous = \(durable ? "FULL" : "NORMAL"); PRAGMA wal_autocheckpoint = 0"
                )
            case .reader:
                try executeScript("PRAGMA foreign_keys = ON; PRAGMA query_only = ON")
            case .checkpointer:
                break
            }
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Finalizes every cached statement and closes the file; the connection is unusable afterwards.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Whether a transaction is open (SQLite may roll one back on its own after I/O errors).
    var inTransaction: Bool {
        sqlite3_get_autocommit(handle) == 0
    }

    func query(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> [Row] {
        counters?.countStatement(use)
        let statement = try prepare(sql)
        try statement.bind(params, connection: handle)
        return try statement.run(connection: handle)
    }

    @discardableResult
    func execute(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> Int {
        _ = try query(sql, params)
        return Int(sqlite3_changes(handle))
    }

    func executeScript(_ sql: String) throws(StorageError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw SQLiteError.make(code: sqlite3_extended_errcode(handle), message: text)
        }
    }

    private func prepare(_ sql: String) throws(StorageError) -> SQLiteStatement {
        if let cached = statements[sql] {
            return cached
        }
        var statement: OpaquePointer?
        var trailingText = ""
        let rc = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, &tail)
            if let tail {
                trailingText = String(cString: tail)
            }
            return rc
        }
        guard rc == SQLITE_OK else { throw SQLiteError.last(handle) }
        guard let statement else {
            throw .queryFailed(message: "empty SQL statement")
        }
        let prepared = SQLiteStatement(handle: statement)
        guard trailingText.allSatisfy({ $0.isWhitespace || $0 == ";" }) else {
            throw .queryFailed(message: "query and execute take one statement; use executeScript for several")
        }
        if statements.count >= Self.statementCacheLimit {
            statements.removeAll()
        }
        statements[sql] = prepared
        return prepared
    }
}
