import Foundation
public import Logging

extension Database {
    /// Brings the schema up to `schema.latestVersion`. Only the main process calls this; workers
    /// call `checkSchema` and refuse to start until the main process has migrated.
    ///
    /// Each pending migration runs in its own transaction together with its row in
    /// `axon_schema_migrations`, so a failing migration leaves the database at the version before
    /// it. On PostgreSQL a transaction-scoped advisory lock serialises concurrent runners; SQLite's
    /// single writer already does. Refuses (`StorageError.schemaRefused`) a database holding
    /// another server's schema or a newer Axon's.
    ///
    /// - Returns: the migrations applied by this call, oldest first.
    @discardableResult
    public func runMigrations(_ schema: Schema = .axon, logger: Logger? = nil) async throws -> [Migration] {
        let applied = try await read { connection in
            try Self.appliedVersions(connection, schema: schema)
        }
        var ran: [Migration] = []
        for migration in schema.migrations where !applied.contains(migration.version) {
            let didRun = try await write { transaction in
                try Self.apply(migration, schema: schema, in: transaction)
            }
            if didRun {
                logger?.info(
                    "applied database migration",
                    metadata: ["version": "\(migration.version)", "name": "\(migration.name)"]
                )
                ran.append(migration)
            }
        }
        return ran
    }

    /// Checks that the database was created by Axon and is at `schema.latestVersion`, without
    /// changing anything. Throws `.schemaBehind` when the main process has not migrated yet and
    /// `.schemaRefused` for a foreign or newer schema.
    ///
    /// - Returns: the database's schema version.
    @discardableResult
    public func checkSchema(_ schema: Schema = .axon) async throws(StorageError) -> Int {
        let applied: Set<Int>
        do {
            applied = try await read { connection in
                try Self.appliedVersions(connection, schema: schema)
            }
        } catch let error as StorageError {
            throw error
        } catch {
            throw .queryFailed(message: "\(error)")
        }
        let current = applied.max() ?? 0
        guard schema.migrations.allSatisfy({ applied.contains($0.version) }) else {
            throw .schemaBehind(current: current, required: schema.latestVersion)
        }
        return current
    }

    private static func appliedVersions(_ connection: any Connection, schema: Schema) throws(StorageError) -> Set<Int> {
        switch try SchemaInspection.inspect(connection) {
        case .empty:
            return []
        case .foreign(let reason):
            throw .schemaRefused(reason: reason)
        case .axon(let versions):
            try refuseNewer(versions, schema: schema)
            return Set(versions)
        }
    }

    private static func apply(_ migration: Migration, schema: Schema, in transaction: any Transaction) throws -> Bool {
        if transaction.dialect == .postgres {
            // Any constant works; it only has to be the same in every Axon process.
            _ = try transaction.query("SELECT pg_advisory_xact_lock(4153300901)")
        }
        let applied: Set<Int>
        switch try SchemaInspection.inspect(transaction) {
        case .foreign(let reason):
            throw StorageError.schemaRefused(reason: reason)
        case .empty:
            try transaction.executeScript(SchemaInspection.markerDDL)
            applied = []
        case .axon(let versions):
            try refuseNewer(versions, schema: schema)
            applied = Set(versions)
        }
        guard !applied.contains(migration.version) else { return false }
        try transaction.executeScript(migration.sql(for: transaction.dialect))
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try transaction.execute(
            "INSERT INTO axon_schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)",
            [.integer(Int64(migration.version)), .text(migration.name), .integer(now)]
        )
        return true
    }

    private static func refuseNewer(_ versions: [Int], schema: Schema) throws(StorageError) {
        if let newest = versions.max(), newest > schema.latestVersion {
            throw .schemaRefused(
                reason: "the database schema is at version \(newest), newer than this build's \(schema.latestVersion); "
                    + "run the Axon release that migrated it, or a newer one"
            )
        }
    }
}
