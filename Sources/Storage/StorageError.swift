/// Every failure the storage layer reports, typed so callers can react (retry on `.busy`, map
/// `.uniqueViolation` to a 409-style answer, refuse to start on `.schemaRefused`).
///
/// Messages never carry connection passwords: engines build them from the server's error text
/// and the host/database names only.
public enum StorageError: Error, Sendable, Hashable {
    /// The engine could not open or keep a connection (server down, authentication refused, bad path).
    case connectionFailed(reason: String)
    /// A UNIQUE or PRIMARY KEY constraint rejected the statement.
    case uniqueViolation(message: String)
    /// Another constraint (foreign key, NOT NULL, CHECK) rejected the statement.
    case constraintViolation(message: String)
    /// The statement failed for any other reason (syntax, missing table, aborted transaction).
    case queryFailed(message: String)
    /// The database holds a schema this server must not touch (another server's, or a newer Axon's).
    case schemaRefused(reason: String)
    /// The database's schema is older than this build; the main process must migrate it first.
    case schemaBehind(current: Int, required: Int)
    /// Lock contention outlasted the timeout, or PostgreSQL chose this transaction as a deadlock or
    /// serialization victim; retrying the whole operation may succeed.
    case busy(reason: String)
    /// The database was closed.
    case closed
    /// A row was asked for a column its query did not return.
    case noSuchColumn(String)
    /// A column held a value of another storage class than the caller decoded.
    case typeMismatch(column: String?, expected: String, found: String)
    /// A query that must return one row returned none.
    case noRows
    /// This process follows the stream but does not write it (a write was routed to the wrong process).
    case notStreamWriter(String)
}

extension StorageError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .connectionFailed(let reason): "database connection failed: \(reason)"
        case .uniqueViolation(let message): "unique constraint violated: \(message)"
        case .constraintViolation(let message): "constraint violated: \(message)"
        case .queryFailed(let message): "query failed: \(message)"
        case .schemaRefused(let reason): "database refused: \(reason)"
        case .schemaBehind(let current, let required):
            "database schema is at version \(current) but this build needs \(required); start the main process to migrate it"
        case .busy(let reason): "database busy: \(reason)"
        case .closed: "database is closed"
        case .noSuchColumn(let name): "no column named \(name) in the result"
        case .typeMismatch(let column, let expected, let found):
            "column \(column ?? "?") holds \(found), expected \(expected)"
        case .noRows: "query returned no rows"
        case .notStreamWriter(let stream): "this process does not write the \(stream) stream"
        }
    }
}
