/// One numbered schema change. It runs once, inside a transaction, and is recorded in
/// `axon_schema_migrations` so it never runs again.
///
/// Never edit a migration that has shipped: add a new one with the next version.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let sqliteSQL: String
    public let postgresSQL: String

    /// A migration whose SQL is the same on both engines.
    public init(version: Int, name: String, sql: String) {
        self.init(version: version, name: name, sqlite: sql, postgres: sql)
    }

    /// A migration with engine-specific SQL (types, indexes, full-text search).
    public init(version: Int, name: String, sqlite: String, postgres: String) {
        precondition(version > 0, "migration versions start at 1")
        self.version = version
        self.name = name
        self.sqliteSQL = sqlite
        self.postgresSQL = postgres
    }

    public func sql(for dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: sqliteSQL
        case .postgres: postgresSQL
        }
    }
}
