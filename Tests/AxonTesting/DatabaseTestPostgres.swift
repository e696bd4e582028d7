import Foundation
import Storage
import StoragePostgres

/// Per-test PostgreSQL databases, cloned from a migrated template.
///
/// The template is named after the schema's fingerprint, so a changed migration list builds a
/// new one. It is built at most once per cluster: a session advisory lock serialises test
/// processes, and it is migrated under a temporary name and renamed when complete, so a
/// template that exists is always whole and nobody is connected to it when tests clone it.
enum TestPostgres {
    static var conninfo: String? {
        guard let value = ProcessInfo.processInfo.environment["AXON_TEST_POSTGRES"], !value.isEmpty else { return nil }
        return value
    }

    /// Distinguishes this process's databases from other test processes' on the same cluster.
    private static let processTag = "\(ProcessInfo.processInfo.processIdentifier)_\(UInt32.random(in: 0...UInt32.max))"
    private static let counter = Locked(0)
    private static let templates = Locked<[String: Task<String, any Error>]>([:])
    private static let admin = Locked<Task<PostgresDatabase, any Error>?>(nil)

    static func configuration(database: String? = nil, minConnections: Int = 1, maxConnections: Int) throws -> PostgresConfiguration {
        guard let conninfo else { throw StorageError.connectionFailed(reason: "AXON_TEST_POSTGRES is not set") }
        let base = PostgresConfiguration(conninfo: conninfo, minConnections: minConnections, maxConnections: maxConnections)
        return database.map(base.database) ?? base
    }

    /// Creates an empty database (`schema == nil`) or a clone of the schema's template.
    static func createDatabase(schema: Schema?) async throws -> String {
        let template = if let schema { try await self.template(for: schema) } else { "template0" }
        let name = "axon_test_\(processTag)_\(counter.withLock { $0 += 1; return $0 })"
        try await adminDatabase().withConnection { connection in
            try connection.executeScript("CREATE DATABASE \(name) TEMPLATE \(template)")
        }
        return name
    }

    static func dropDatabase(_ name: String) async throws {
        try await adminDatabase().withConnection { connection in
            try connection.executeScript("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// A small pool on the maintenance database, kept for the whole test process.
    private static func adminDatabase() async throws -> PostgresDatabase {
        let task = admin.withLock { admin in
            if let admin { return admin }
            let task = Task { try await PostgresDatabase(configuration: configuration(maxConnections: 4)) }
            admin = task
            return task
        }
        return try await task.value
    }

    private static func template(for schema: Schema) async throws -> String {
        let name = "axon_template_\(schema.fingerprint)"
        let task = templates.withLock { templates in
            if let task = templates[name] { return task }
            let task = Task { try await buildTemplate(name, schema: schema) }
            templates[name] = task
            return task
        }
        return try await task.value
    }

    private static func buildTemplate(_ name: String, schema: Schema) async throws -> String {
        // One connection, so the session lock taken by the first call is still held by the last.
        let session = try await PostgresDatabase(configuration: configuration(maxConnections: 1))
        do {
            try await session.withConnection { connection in
                _ = try connection.query("SELECT pg_advisory_lock(4153300903)")
            }
            let exists = try await session.withConnection { connection in
                try connection.queryOne("SELECT 1 FROM pg_database WHERE datname = ?", [.text(name)]) != nil
            }
            if !exists {
                let partial = "\(name)_partial"
                try await session.withConnection { connection in
                    try connection.executeScript("DROP DATABASE IF EXISTS \(partial) WITH (FORCE)")
                    try connection.executeScript("CREATE DATABASE \(partial) TEMPLATE template0")
                }
                let database = try await PostgresDatabase(configuration: configuration(database: partial, maxConnections: 1))
                do {
                    try await database.runMigrations(schema)
                } catch {
                    await database.close()
                    throw error
                }
                await database.close()
                try await rename(partial, to: name, session: session)
            }
        } catch {
            await session.close()
            throw error
        }
        // Closing the session releases the advisory lock.
        await session.close()
        return name
    }

    /// Renames once the migration connection's backend has gone (it exits just after we hang up).
    private static func rename(_ old: String, to new: String, session: PostgresDatabase) async throws {
        for attempt in 1... {
            do {
                try await session.withConnection { connection in
                    try connection.executeScript("ALTER DATABASE \(old) RENAME TO \(new)")
                }
                return
            } catch StorageError.queryFailed(let message) where message.contains("other users") && attempt < 50 {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
