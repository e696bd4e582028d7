import AxonTesting
import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    static let first = Migration(version: 1, name: "first", sql: "CREATE TABLE first_table (x BIGINT)")
    static let second = Migration(
        version: 2,
        name: "second",
        sqlite: "CREATE TABLE second_table (x BLOB)",
        postgres: "CREATE TABLE second_table (x BYTEA)"
    )
    static let broken = Migration(
        version: 2,
        name: "broken",
        sql: "CREATE TABLE half_done (x BIGINT); CREATE TABLE (oops"
    )

    @Test("Axon's migrations run once and a second run does nothing")
    func runOnce() async throws {
        try await withEachDatabase(schema: nil) { db in
            let applied = try await db.runMigrations(.axon)
            #expect(applied.map(\.version) == Schema.axon.migrations.map(\.version))
            #expect(try await db.runMigrations(.axon).isEmpty)
            #expect(try await db.checkSchema(.axon) == Schema.axon.latestVersion)
            let recorded = try await db.read { conn in
                try conn.query("SELECT version FROM axon_schema_migrations ORDER BY version").map { try $0.decode(0, as: Int.self) }
            }
            #expect(recorded == Schema.axon.migrations.map(\.version))
        }
    }

    @Test("a database behind the build is reported until the main process migrates it")
    func behind() async throws {
        try await withEachDatabase(schema: nil) { db in
            await #expect(throws: StorageError.schemaBehind(current: 0, required: 2)) {
                try await db.checkSchema(Schema([Self.first, Self.second]))
            }
            try await db.runMigrations(Schema([Self.first]))
            await #expect(throws: StorageError.schemaBehind(current: 1, required: 2)) {
                try await db.checkSchema(Schema([Self.first, Self.second]))
            }
            let applied = try await db.runMigrations(Schema([Self.first, Self.second]))
            #expect(applied.map(\.name) == ["second"])
            #expect(try await db.checkSchema(Schema([Self.first, Self.second])) == 2)
        }
    }

    @Test("a failing migration leaves the database at the version before it")
    func failingMigration() async throws {
        try await withEachDatabase(schema: nil) { db in
            await #expect(throws: StorageError.self) {
                try await db.runMigrations(Schema([Self.first, Self.broken]))
            }
            #expect(try await db.checkSchema(Schema([Self.first])) == 1)
            let tables = try await Self.tables(db)
            #expect(tables.contains("first_table"))
            #expect(!tables.contains("half_done"))
        }
    }

    @Test("a schema newer than the build is refused")
    func newerRefused() async throws {
        try await withEachDatabase(schema: nil) { db in
            try await db.runMigrations(Schema([Self.first, Self.second]))
            let error = await #expect(throws: StorageError.self) { try await db.runMigrations(Schema([Self.first])) }
            guard case .schemaRefused(let reason) = error else {
                Issue.record("expected schemaRefused, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("newer"))
        }
    }

    @Test("a Synapse database is refused by name and left untouched")
    func synapseRefused() async throws {
        try await withEachDatabase(schema: nil) { db in
            try await db.write { txn in
                try txn.executeScript(
                    """
                    CREATE TABLE schema_version (lock CHAR(1) NOT NULL DEFAULT 'X', version INTEGER NOT NULL, upgraded BOOLEAN NOT NULL);
                    CREATE TABLE applied_schema_deltas (version INTEGER NOT NULL, file TEXT NOT NULL);
                    CREATE TABLE events (stream_ordering INTEGER PRIMARY KEY, event_id TEXT NOT NULL);
                    """
                )
            }
            for attempt in [Attempt.migrate, .check] {
                let error = await #expect(throws: StorageError.self) { try await attempt.run(on: db) }
                guard case .schemaRefused(let reason) = error else {
                    Issue.record("\(db.dialect) \(attempt): expected schemaRefused, got \(String(describing: error))")
                    continue
                }
                #expect(reason.contains("Synapse"))
                #expect(reason.contains("schema_version"))
            }
            #expect(try await Self.tables(db) == ["applied_schema_deltas", "events", "schema_version"])
        }
    }

    @Test("any other non-empty database without Axon's marker is refused, naming its tables")
    func foreignRefused() async throws {
        try await withEachDatabase(schema: nil) { db in
            try await db.write { txn in try txn.executeScript("CREATE TABLE something_else (x BIGINT)") }
            let error = await #expect(throws: StorageError.self) { try await db.runMigrations(.axon) }
            guard case .schemaRefused(let reason) = error else {
                Issue.record("expected schemaRefused, got \(String(describing: error))")
                return
            }
            #expect(reason.contains("something_else"))
            #expect(reason.contains("axon_schema_migrations"))
        }
    }

    @Test("the fingerprint changes with any migration and is stable otherwise")
    func fingerprint() {
        let one = Schema([Self.first])
        #expect(one.fingerprint == Schema([Self.first]).fingerprint)
        #expect(one.fingerprint != Schema([Self.first, Self.second]).fingerprint)
        #expect(Schema([Self.first, Self.second]).fingerprint != Schema([Self.first, Self.broken]).fingerprint)
        #expect(one.fingerprint.count == 16)
    }

    private enum Attempt: CustomStringConvertible {
        case migrate, check

        func run(on db: any Database) async throws {
            switch self {
            case .migrate: try await db.runMigrations(.axon)
            case .check: try await db.checkSchema(.axon)
            }
        }

        var description: String { self == .migrate ? "runMigrations" : "checkSchema" }
    }

    private static func tables(_ db: any Database) async throws -> [String] {
        try await db.read { conn in try conn.query(conn.dialect.listTablesSQL).map { try $0.decode(0, as: String.self) } }
    }
}
