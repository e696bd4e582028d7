/// A database connection lent to one `read` closure, on the thread that runs it.
///
/// SQL is written once for both engines with `?` placeholders; PostgreSQL rewrites them to `$1…`.
/// The connection is not `Sendable` and must not escape the closure it was handed to.
public protocol Connection {
    var dialect: SQLDialect { get }

    /// Runs one statement and returns every row it produced.
    func query(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> [Row]

    /// Runs one statement and returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> Int

    /// Runs several `;`-separated statements without parameters (migrations, savepoint commands).
    func executeScript(_ sql: String) throws(StorageError)
}

/// The connection lent to a `write` closure: everything it does commits together or not at all.
public protocol Transaction: Connection {}

extension Connection {
    public func query(_ sql: String) throws(StorageError) -> [Row] {
        try query(sql, [])
    }

    @discardableResult
    public func execute(_ sql: String) throws(StorageError) -> Int {
        try execute(sql, [])
    }

    /// The first row, or `nil` when the statement returned none.
    public func queryOne(_ sql: String, _ params: [SQLValue] = []) throws(StorageError) -> Row? {
        try query(sql, params).first
    }

    /// The first column of the first row, for `SELECT count(*)`-style statements.
    public func queryValue<T: SQLValueConvertible>(
        _ sql: String,
        _ params: [SQLValue] = [],
        as type: T.Type = T.self
    ) throws(StorageError) -> T {
        guard let row = try queryOne(sql, params) else { throw .noRows }
        return try row.decode(0)
    }
}

extension Transaction {
    /// Runs `body` inside a savepoint: if it throws, only its own statements are undone and the
    /// error propagates, while the enclosing transaction stays usable.
    ///
    /// PostgreSQL aborts a whole transaction on any failed statement, so a write that wants to
    /// catch a statement error and carry on must wrap that statement in a savepoint.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        try executeScript("SAVEPOINT axon_nested")
        do {
            let value = try body()
            try executeScript("RELEASE SAVEPOINT axon_nested")
            return value
        } catch {
            try executeScript("ROLLBACK TO SAVEPOINT axon_nested; RELEASE SAVEPOINT axon_nested")
            throw error
        }
    }
}
