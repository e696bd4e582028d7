import CLibPQ
import Foundation
import Storage

/// One libpq connection. Every call blocks, so it is only used on the pool's threads, by one
/// thread at a time (which makes the unchecked `Sendable` sound).
final class PostgresConnection: Transaction, @unchecked Sendable {
    let dialect = SQLDialect.postgres
    private let handle: OpaquePointer
    private var statements = PostgresStatementCache()
    private let counters: DatabaseCounters
    /// The kind of transaction the connection is lent for, which its statements are counted under.
    var use = DatabaseCounters.Use.write
    /// A `BEGIN` not sent yet: it goes out with the transaction's first statement, in the same round trip, and not at
    /// all when the transaction runs none.
    private var deferredBegin: String?
    /// A read-only transaction's `COMMIT` sent without waiting for its answer, which `settle()` reads before the
    /// connection's next use: the reader is answered a round trip sooner.
    private var commitInFlight = false

    /// Connects (blocking). The error names host and database as libpq reports them, never the password.
    init(configuration: PostgresConfiguration, counters: DatabaseCounters) throws(StorageError) {
        self.counters = counters
        let parameters = configuration.connectParameters
        let keywords = parameters.map { strdup($0.keyword) } + [nil]
        let values = parameters.map { strdup($0.value) } + [nil]
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let handle = keywords.map { UnsafePointer($0) }.withUnsafeBufferPointer { keywordPointers in
            values.map { UnsafePointer($0) }.withUnsafeBufferPointer { valuePointers in
                PQconnectdbParams(keywordPointers.baseAddress, valuePointers.baseAddress, configuration.expandDatabaseName ? 1 : 0)
            }
        }
        guard let handle else {
            throw .connectionFailed(reason: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = PostgresResult.errorMessage(handle)
            PQfinish(handle)
            throw .connectionFailed(reason: reason)
        }
        // Silences NOTICEs ("relation already exists, skipping") that libpq prints to stderr.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
    }

    deinit {
        PQfinish(handle)
    }

    /// The pool's generation when this connection was opened or last reset: connections older than a broken one are
    /// reset before they are lent out (a restarted server cut them all).
    var generation = 0

    /// Whether the server side is gone (a restart, a network cut): the connection must be reset before any use.
    var isBroken: Bool {
        PQstatus(handle) != CONNECTION_OK
    }

    /// Whether the connection is up and outside any transaction (or only finishing a read-only one), i.e. fit to lend
    /// out again.
    var isReusable: Bool {
        PQstatus(handle) == CONNECTION_OK && (PQtransactionStatus(handle) == PQTRANS_IDLE || commitInFlight)
    }

    /// Reads the answer to a `COMMIT` sent without waiting; the pool calls it before lending the connection out.
    /// Throws when that commit failed (the connection is then reset or dropped, not lent out).
    func settle() throws(StorageError) {
        guard commitInFlight else { return }
        commitInFlight = false
        var failure: StorageError?
        while let result = PQgetResult(handle) {
            do throws(StorageError) {
                try PostgresResult.check(result, connection: handle)
            } catch {
                failure = failure ?? error
            }
            PQclear(result)
        }
        if let failure { throw failure }
    }

    /// Re-establishes a broken connection with the same parameters (blocking).
    func reset() throws(StorageError) {
        statements.removeAll()
        commitInFlight = false
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw .connectionFailed(reason: PostgresResult.errorMessage(handle))
        }
    }

    func query(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> [Row] {
        try Self.refuseNUL(in: params)
        let result = try run(sql, params)
        defer { PQclear(result) }
        return try PostgresResult.rows(result, connection: handle)
    }

    @discardableResult
    func execute(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> Int {
        try Self.refuseNUL(in: params)
        let result = try run(sql, params)
        defer { PQclear(result) }
        try PostgresResult.check(result, connection: handle)
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    func executeScript(_ sql: String) throws(StorageError) {
        counters.countRoundTrip(use)
        let script = deferredBegin.map { "\($0); \(sql)" } ?? sql
        deferredBegin = nil
        let result = PQexec(handle, script)
        defer { PQclear(result) }
        try PostgresResult.check(result, connection: handle)
    }

    /// Opens a transaction with `begin` (a `BEGIN …` statement), sent along with the first statement run in it.
    func begin(lazily begin: String) {
        deferredBegin = begin
    }

    /// Ends the transaction without keeping anything it did (nothing to do when it never started).
    func rollback() {
        guard deferredBegin == nil else {
            deferredBegin = nil
            return
        }
        try? executeScript("ROLLBACK")
    }

    /// Ends a read-only transaction without waiting for the server's answer (nothing it did can fail to commit); the
    /// answer is read by `settle()`.
    func commitReadOnly() throws(StorageError) {
        guard deferredBegin == nil else {
            deferredBegin = nil
            return
        }
        counters.countRoundTrip(use)
        guard PQsendQuery(handle, "COMMIT") == 1 else { throw .connectionFailed(reason: PostgresResult.errorMessage(handle)) }
        commitInFlight = true
    }

    /// Commits, failing if PostgreSQL turned the COMMIT into a ROLLBACK because a statement in the
    /// transaction had failed (and the caller caught that error instead of letting it propagate).
    func commit() throws(StorageError) {
        guard deferredBegin == nil else {
            deferredBegin = nil
            return
        }
        counters.countRoundTrip(use)
        let result = PQexec(handle, "COMMIT")
        defer { PQclear(result) }
        try PostgresResult.check(result, connection: handle)
        if let result, String(cString: PQcmdStatus(result)) == "ROLLBACK" {
            throw .queryFailed(
                message: "the transaction was rolled back because a statement in it failed; "
                    + "wrap statements whose errors are expected in `savepoint`"
            )
        }
    }

    /// Text parameters travel as C strings, so libpq would cut one at a NUL and store or match a shorter value;
    /// PostgreSQL text cannot hold NUL at all. Such a parameter fails the statement before it is sent.
    private static func refuseNUL(in params: [SQLValue]) throws(StorageError) {
        for case .text(let text) in params where text.utf8.contains(0) {
            throw .constraintViolation(message: "a text parameter holds NUL, which PostgreSQL text cannot store")
        }
    }

    /// Sends one statement with text-format parameters (blobs go as binary `bytea`, so they need no escaping).
    /// Numbers are typed `int8`/`float8` so `SELECT ?` reads back a number as on SQLite; text is left for the server to
    /// infer, so it also fits `jsonb` or `regclass`. A statement seen before on this connection runs prepared: the
    /// server parses and plans it once, not on every call.
    private func run(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> OpaquePointer? {
        var types: [Oid] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        var values: [UnsafeMutablePointer<CChar>?] = []
        defer { values.forEach { free($0) } }
        func append(_ value: UnsafeMutablePointer<CChar>?, type: Oid = 0, binaryLength: Int32? = nil) {
            values.append(value)
            types.append(type)
            lengths.append(binaryLength ?? 0)
            formats.append(binaryLength == nil ? 0 : 1)
        }
        for param in params {
            switch param {
            case .null: append(nil)
            case .integer(let integer): append(strdup(String(integer)), type: PostgresResult.TypeOID.int8)
            case .real(let real): append(strdup(String(real)), type: PostgresResult.TypeOID.float8)
            case .text(let text): append(strdup(text))
            case .blob(let bytes):
                let buffer = malloc(max(bytes.count, 1))!
                bytes.withUnsafeBytes { source in
                    if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
                }
                append(buffer.assumingMemoryBound(to: CChar.self), type: PostgresResult.TypeOID.bytea, binaryLength: Int32(bytes.count))
            }
        }
        let pointers = values.map { UnsafePointer($0) }
        counters.countStatement(use)
        let plan = statements.plan(sql: sql, types: types)
        if case .prepare = plan, statements.isFull {
            try executeScript("DEALLOCATE ALL")
            statements.removeAll()
        }
        if let begin = deferredBegin {
            deferredBegin = nil
            return try pipelined(begin: begin, plan: plan, sql: sql, types: types, values: pointers, lengths: lengths, formats: formats)
        }
        counters.countRoundTrip(use)
        switch plan {
        case .prepared(let name):
            return PQexecPrepared(handle, name, Int32(params.count), pointers, lengths, formats, 0)
        case .prepare(let name, let text):
            counters.countRoundTrip(use)
            let preparation = PQprepare(handle, name, text, Int32(types.count), types)
            defer { PQclear(preparation) }
            try PostgresResult.check(preparation, connection: handle)
            statements.didPrepare(sql: sql, types: types, name: name)
            return PQexecPrepared(handle, name, Int32(params.count), pointers, lengths, formats, 0)
        case .once(let text):
            return PQexecParams(handle, text, Int32(params.count), types, pointers, lengths, formats, 0)
        }
    }

    /// Sends the deferred `BEGIN`, the statement's preparation if it needs one, and the statement in one pipeline: one
    /// round trip for all. Returns the statement's result (which the caller clears) once every result is read, so the
    /// connection leaves pipeline mode as idle as it entered.
    private func pipelined(
        begin: String, plan: PostgresStatementCache.Plan, sql: String, types: [Oid], values: [UnsafePointer<CChar>?],
        lengths: [Int32], formats: [Int32]
    ) throws(StorageError) -> OpaquePointer? {
        counters.countRoundTrip(use)
        guard PQenterPipelineMode(handle) == 1 else { throw .connectionFailed(reason: PostgresResult.errorMessage(handle)) }
        defer { PQexitPipelineMode(handle) }
        let count = Int32(values.count)
        var commands = 2
        var sent = PQsendQueryParams(handle, begin, 0, nil, nil, nil, nil, 0) == 1
        switch plan {
        case .prepared(let name):
            sent = sent && PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) == 1
        case .prepare(let name, let text):
            commands = 3
            sent = sent && PQsendPrepare(handle, name, text, count, types) == 1
                && PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0) == 1
        case .once(let text):
            sent = sent && PQsendQueryParams(handle, text, count, types, values, lengths, formats, 0) == 1
        }
        guard sent, PQpipelineSync(handle) == 1 else { throw .connectionFailed(reason: PostgresResult.errorMessage(handle)) }
        // Each command's results end with a NULL; the sync point's own result comes last.
        var results: [OpaquePointer?] = []
        for _ in 0..<commands {
            var last: OpaquePointer?
            while let result = PQgetResult(handle) {
                PQclear(last)
                last = result
            }
            results.append(last)
        }
        PQclear(PQgetResult(handle))
        defer { results.dropLast().forEach { PQclear($0) } }
        try PostgresResult.check(results[0], connection: handle)
        if case .prepare(let name, _) = plan {
            try PostgresResult.check(results[1], connection: handle)
            statements.didPrepare(sql: sql, types: types, name: name)
        }
        return results[results.count - 1]
    }
}
