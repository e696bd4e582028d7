/// `database`: which engine stores the server's data and how to reach it.
public enum DatabaseConfig: Sendable, Hashable {
    /// `name: sqlite3`: the embedded engine, for a single process.
    case sqlite(SQLiteConfig)
    /// `name: psycopg2`: PostgreSQL, required when running workers.
    case postgres(PostgresConfig)
}

public struct SQLiteConfig: Sendable, Hashable {
    /// `args.database`: absolute path of the database file, or `:memory:`.
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

public struct PostgresConfig: Sendable, Hashable {
    public var user: String?
    public var password: Secret?
    /// `args.database` (psycopg2's spelling) or `args.dbname` (libpq's).
    public var database: String?
    /// A host name, an address, or a directory holding the server's UNIX socket.
    public var host: String?
    public var port: Int?
    /// `args.cp_min`: connections the pool keeps open.
    public var cpMin: Int = 5
    /// `args.cp_max`: connections the pool opens at most.
    public var cpMax: Int = 10
    /// Other libpq connection keywords from `args` (`sslmode`, `application_name`, …), passed through.
    public var connectionOptions: [String: String] = [:]
    /// `args.sslpassword`, kept apart from `connectionOptions` so it is never printed.
    public var sslPassword: Secret?
    /// `allow_unsafe_locale`: start even if the database's collation is not `C`.
    public var allowUnsafeLocale = false
    /// `txn_limit`: recycle a connection after this many transactions; 0 never does.
    public var transactionLimit = 0
    /// `synchronous_commit`: wait for the WAL flush on commit.
    public var synchronousCommit = true
    /// `statement_timeout` in milliseconds; `nil` disables it. Synapse defaults to ten minutes.
    public var statementTimeout: Int? = 600_000
    /// `idle_in_transaction_session_timeout` in milliseconds; `nil` disables it. Synapse defaults to 30 minutes.
    public var idleInTransactionSessionTimeout: Int? = 1_800_000

    public init() {}
}
