import AxonTesting
import Foundation
import Storage
import StoragePostgres
import Testing

private let conninfo = ProcessInfo.processInfo.environment["AXON_TEST_POSTGRES"] ?? ""

@Suite("PostgreSQL engine", .enabled(if: !conninfo.isEmpty, "set AXON_TEST_POSTGRES to a libpq conninfo"))
struct PostgresEngineTests {
    @Test("a refused connection names the server but never the password")
    func connectionFailure() async throws {
        let base = PostgresConfiguration(conninfo: conninfo, minConnections: 1, maxConnections: 1)
        let settings = Dictionary(
            uniqueKeysWithValues: conninfo.split(separator: " ").compactMap { pair -> (String, String)? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }
        )
        let configuration = PostgresConfiguration(
            host: settings["host"], port: settings["port"].flatMap { Int($0) }, user: "no_such_role",
            password: "s3cret-hunter2", database: "postgres", minConnections: 1, maxConnections: 1
        )
        #expect(!configuration.description.contains("s3cret"))
        #expect(!base.description.isEmpty)
        let error = await #expect(throws: StorageError.self) {
            _ = try await PostgresDatabase(configuration: configuration)
        }
        guard case .connectionFailed(let reason) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no_such_role"))
        #expect(!reason.contains("s3cret"))
        #expect(!"\(String(describing: error))".contains("s3cret"))
    }

    @Test("the description of a conninfo with a password leaves the password out")
    func redactedDescription() {
        let configuration = PostgresConfiguration(conninfo: "host=db.example port=5433 user=axon password=topsecret dbname=axon")
        #expect(configuration.description == "postgres(host=db.example port=5433 dbname=axon user=axon)")
        #expect(configuration.database("other").description.contains("dbname=other"))
    }

    @Test("a single-statement read runs outside a transaction; a read, in one repeatable-read snapshot")
    func singleStatementReads() async throws {
        try await withPostgresDatabase(schema: nil, maxConnections: 1) { db in
            let isolation = "SELECT current_setting('transaction_isolation')"
            let single = try await db.readStatement { try $0.queryValue(isolation, as: String.self) }
            let snapshot = try await db.read { try $0.queryValue(isolation, as: String.self) }
            // The connection is lent out again afterwards, in either order.
            let again = try await db.readStatement { try $0.queryValue("SELECT 1", as: Int64.self) }
            #expect(single == "read committed")
            #expect(snapshot == "repeatable read")
            #expect(again == 1)
        }
    }

    @Test("connections killed by the server are replaced")
    func reconnect() async throws {
        try await withPostgresDatabase(schema: nil, maxConnections: 2) { db in
            await #expect(throws: StorageError.self) {
                try await db.read { conn in
                    try conn.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()")
                }
            }
            var failures = 0
            for _ in 0..<3 {
                do {
                    try await db.ping()
                } catch {
                    failures += 1
                }
            }
            #expect(failures <= 2)
            for _ in 0..<3 {
                try await db.ping()
            }
        }
    }

    @Test("a statement repeated on a connection runs prepared, the server holds a bounded number, a reconnect starts over")
    func preparedStatements() async throws {
        try await withPostgresDatabase(schema: nil, maxConnections: 1) { db in
            let prepared = "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%axon_marker%' ORDER BY statement"
            let answers = try await db.read { conn in
                try (0..<3).map { _ throws(StorageError) in
                    try conn.queryValue("SELECT ? + 1 AS axon_marker", [.integer(41)], as: Int64.self)
                }
            }
            #expect(answers == [42, 42, 42])
            let held = try await db.read { conn in try conn.query(prepared).map { try $0.decode(0, as: String.self) } }
            #expect(held == ["SELECT $1 + 1 AS axon_marker"])

            let many = try await db.read { conn in
                try (0..<300).map { index throws(StorageError) in
                    let sql = "SELECT \(index) AS axon_marker_\(index)"
                    _ = try conn.queryValue(sql, as: Int64.self)
                    return try conn.queryValue(sql, as: Int64.self)
                }
            }
            #expect(many == Array(0..<300).map(Int64.init))
            let count = try await db.read { conn in try conn.queryValue("SELECT count(*) FROM pg_prepared_statements", as: Int64.self) }
            #expect(count <= 256)

            await #expect(throws: StorageError.self) {
                try await db.read { conn in try conn.query("SELECT pg_terminate_backend(pg_backend_pid())") }
            }
            let again = try await db.read { conn in
                try (0..<3).map { _ throws(StorageError) in
                    try conn.queryValue("SELECT ? + 1 AS axon_marker", [.integer(1)], as: Int64.self)
                }
            }
            #expect(again == [2, 2, 2])
        }
    }

    @Test("dollar-quoted bodies and E'' strings keep their question marks")
    func placeholderRewriting() async throws {
        try await withPostgresDatabase(schema: nil) { db in
            let row = try #require(try await db.read { conn in
                try conn.queryOne("SELECT $$a ? b$$ AS dollar, $tag$?$tag$ AS tagged, E'\\' ?' AS escaped, ? AS p", [.integer(5)])
            })
            #expect(try row.decode("dollar", as: String.self) == "a ? b")
            #expect(try row.decode("tagged", as: String.self) == "?")
            #expect(try row.decode("escaped", as: String.self) == "' ?")
            #expect(try row.decode("p", as: Int64.self) == 5)
        }
    }

    @Test("a write whose failed statement was swallowed does not commit silently")
    func abortedTransaction() async throws {
        try await withPostgresDatabase(schema: nil) { db in
            try await db.write { txn in try txn.executeScript("CREATE TABLE items (id BIGINT PRIMARY KEY)") }
            await #expect(throws: StorageError.self) {
                try await db.write { txn in
                    try txn.execute("INSERT INTO items (id) VALUES (1)")
                    _ = try? txn.execute("INSERT INTO items (id) VALUES (1)")
                }
            }
            #expect(try await db.read { conn in try conn.queryValue("SELECT count(*) FROM items", as: Int64.self) } == 0)
        }
    }

    @Test("a text parameter holding NUL fails its statement instead of being cut short")
    func textWithNUL() async throws {
        try await withPostgresDatabase(schema: nil) { db in
            try await db.write { txn in
                try txn.executeScript("CREATE TABLE names (name TEXT PRIMARY KEY)")
                try txn.execute("INSERT INTO names (name) VALUES (?)", ["alice"])
            }
            let error = await #expect(throws: StorageError.self) {
                try await db.write { txn in
                    try txn.execute("INSERT INTO names (name) VALUES (?)", ["bob"])
                    try txn.execute("INSERT INTO names (name) VALUES (?)", ["carol\u{0}x"])
                }
            }
            guard case .constraintViolation = error else {
                Issue.record("expected constraintViolation, got \(String(describing: error))")
                return
            }
            let matched = await #expect(throws: StorageError.self) {
                try await db.read { conn in try conn.queryValue("SELECT count(*) FROM names WHERE name = ?", ["alice\u{0}x"], as: Int64.self) }
            }
            #expect(matched != nil, "libpq would have matched 'alice'")
            #expect(try await db.read { conn in try conn.queryValue("SELECT count(*) FROM names", as: Int64.self) } == 1, "the transaction wrote nothing")
        }
    }

    @Test("reads survive the server cutting every idle connection, as a restart does")
    func readsAfterConnectionsAreCut() async throws {
        try await withPostgresDatabase(schema: nil, maxConnections: 4) { db in
            // Several readers at once, so the pool holds several idle connections afterwards.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask { _ = try await db.read { conn in try conn.queryValue("SELECT count(*) FROM pg_sleep(0.05)", as: Int64.self) } }
                }
                try await group.waitForAll()
            }
            let cut = try await db.write { txn in
                try txn.queryValue(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    as: Int64.self
                )
            }
            #expect(cut >= 2, "the idle readers were cut")
            for _ in 0..<8 {
                #expect(try await db.read { conn in try conn.queryValue("SELECT 1", as: Int64.self) } == 1)
            }
        }
    }
}
