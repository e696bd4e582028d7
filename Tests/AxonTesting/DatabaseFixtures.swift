import Foundation
public import Storage
import StoragePostgres
import StorageSQLite

/// Runs `body` once per engine with a fresh database: always SQLite (a temporary file), plus
/// PostgreSQL when `AXON_TEST_POSTGRES` holds a libpq conninfo (`make test` sets it).
///
/// ```swift
/// @Test func roundTrip() async throws {
///     try await withEachDatabase { db in
///         try await db.write { txn in try txn.execute("INSERT INTO …", […]) }
///     }
/// }
/// ```
///
/// Each call gets its own database, so tests may run in parallel. On PostgreSQL it is cloned
/// from a template migrated once per test process and dropped afterwards.
///
/// - Parameters:
///   - schema: migrations applied before `body` runs; `nil` hands over an empty database.
///   - maxConnections: the PostgreSQL pool's `cp_max` (raise it for tests that hold many
///     transactions open at once).
/// - Throws: `body`'s error wrapped in `DatabaseEngineError`, so a failure names its engine.
public func withEachDatabase(
    schema: Schema? = .axon,
    maxConnections: Int = 4,
    _ body: (any Database) async throws -> Void
) async throws {
    try await withSQLiteDatabase(schema: schema, body)
    if TestPostgres.conninfo != nil {
        try await withPostgresDatabase(schema: schema, maxConnections: maxConnections, body)
    }
}

/// Runs `body` with a fresh SQLite database in a temporary directory, deleted afterwards.
public func withSQLiteDatabase(schema: Schema? = .axon, _ body: (any Database) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("axon-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try await SQLiteDatabase(
        path: directory.appendingPathComponent("homeserver.db").path,
        readers: 2,
        durableCommits: false
    )
    try await run(body, on: database, engine: .sqlite, schema: schema)
}

/// Runs `body` with a fresh PostgreSQL database; fails when `AXON_TEST_POSTGRES` is unset.
public func withPostgresDatabase(
    schema: Schema? = .axon,
    maxConnections: Int = 4,
    _ body: (any Database) async throws -> Void
) async throws {
    let name = try await TestPostgres.createDatabase(schema: schema)
    do {
        let database = try await PostgresDatabase(
            configuration: TestPostgres.configuration(database: name, maxConnections: maxConnections)
        )
        // Already migrated through the template; running again checks the clone is complete.
        try await run(body, on: database, engine: .postgres, schema: schema)
    } catch {
        try? await TestPostgres.dropDatabase(name)
        throw error
    }
    try await TestPostgres.dropDatabase(name)
}

/// A failure inside `withEachDatabase`'s body, naming the engine it happened on.
public struct DatabaseEngineError: Error, CustomStringConvertible {
    public let engine: SQLDialect
    public let underlying: any Error

    public var description: String {
        "on \(engine.rawValue): \(underlying)"
    }
}

private func run(
    _ body: (any Database) async throws -> Void,
    on database: any Database,
    engine: SQLDialect,
    schema: Schema?
) async throws {
    do {
        if let schema {
            try await database.runMigrations(schema)
        }
        try await body(database)
    } catch {
        await database.close()
        throw DatabaseEngineError(engine: engine, underlying: error)
    }
    await database.close()
}
