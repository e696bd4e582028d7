import AxonConfig
import Logging
import Storage
import StoragePostgres
import StorageSQLite

/// Opens the configured engine. Only the main process migrates; workers check that the schema is current and, while
/// it is older (the main process has not migrated yet), wait for it rather than exit into a restart loop.
enum DatabaseOpener {
    /// How long a worker waits for the main process to migrate before giving up.
    static let schemaWait: Duration = .seconds(600)

    static func open(_ config: DatabaseConfig, migrate: Bool, logger: Logger) async throws -> any Database {
        let deadline = ContinuousClock.now + schemaWait
        while true {
            do {
                return try await openOnce(config, migrate: migrate, logger: logger)
            } catch StorageError.schemaBehind(let current, let required) where !migrate && ContinuousClock.now < deadline {
                logger.notice("waiting for the main process to migrate the database schema", metadata: ["current": "\(current)", "required": "\(required)"])
                try await Task.sleep(for: .seconds(2))
            }
        }
    }

    private static func openOnce(_ config: DatabaseConfig, migrate: Bool, logger: Logger) async throws -> any Database {
        let database: any Database
        switch config {
        case .sqlite(let sqlite):
            database = try await SQLiteDatabase(path: sqlite.path, logger: logger)
        case .postgres(let postgres):
            database = try await PostgresDatabase(configuration: connection(postgres), logger: logger)
        }
        do {
            if migrate {
                let applied = try await database.runMigrations(logger: logger)
                if !applied.isEmpty { logger.info("applied \(applied.count) schema migrations") }
            } else {
                try await database.checkSchema()
            }
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Synapse's `psycopg2` args, handed to libpq.
    private static func connection(_ config: PostgresConfig) -> PostgresConfiguration {
        PostgresConfiguration(
            host: config.host, port: config.port, user: config.user, password: config.password?.revealed,
            database: config.database, minConnections: config.cpMin, maxConnections: config.cpMax
        )
    }
}
