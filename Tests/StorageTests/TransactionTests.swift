import AxonTesting
import Storage
import Testing

@Suite("Transactions")
struct TransactionTests {
    @Test("a duplicate key is reported as a unique violation")
    func uniqueViolation() async throws {
        try await withEachDatabase { db in
            try await db.createItemsTable()
            try await db.write { txn in try txn.execute("INSERT INTO items (id, label) VALUES (1, 'a')") }
            let error = await #expect(throws: StorageError.self) {
                try await db.write { txn in try txn.execute("INSERT INTO items (id, label) VALUES (1, 'b')") }
            }
            guard case .uniqueViolation = error else {
                Issue.record("\(db.dialect): expected uniqueViolation, got \(String(describing: error))")
                return
            }
            #expect(try await db.itemIDs() == [1])
        }
    }

    @Test("a NOT NULL failure is a constraint violation, a syntax error a query failure")
    func otherErrors() async throws {
        try await withEachDatabase { db in
            try await db.createItemsTable()
            let constraint = await #expect(throws: StorageError.self) {
                try await db.write { txn in try txn.execute("INSERT INTO items (id, label) VALUES (1, NULL)") }
            }
            guard case .constraintViolation = constraint else {
                Issue.record("\(db.dialect): expected constraintViolation, got \(String(describing: constraint))")
                return
            }
            let syntax = await #expect(throws: StorageError.self) {
                try await db.read { conn in try conn.query("SELEC 1") }
            }
            guard case .queryFailed = syntax else {
                Issue.record("\(db.dialect): expected queryFailed, got \(String(describing: syntax))")
                return
            }
        }
    }

    @Test("throwing from a write rolls back everything it did")
    func rollbackOnThrow() async throws {
        try await withEachDatabase { db in
            try await db.createItemsTable()
            await #expect(throws: IntentionalFailure.self) {
                try await db.write { txn in
                    try txn.execute("INSERT INTO items (id, label) VALUES (1, 'a')")
                    try txn.execute("UPDATE items SET label = 'b'")
                    try txn.executeScript("CREATE TABLE scratch (x BIGINT)")
                    throw IntentionalFailure()
                }
            }
            #expect(try await db.itemIDs() == [])
            let tables = try await db.read { conn in try conn.query(conn.dialect.listTablesSQL) }
            #expect(!tables.contains { (try? $0.decode(0, as: String.self)) == "scratch" })
        }
    }

    @Test("a savepoint lets a write recover from an expected statement error")
    func savepointRecovers() async throws {
        try await withEachDatabase { db in
            try await db.createItemsTable()
            try await db.write { txn in try txn.execute("INSERT INTO items (id, label) VALUES (1, 'a')") }
            let inserted = try await db.write { txn in
                let duplicate = (try? txn.savepoint { try txn.execute("INSERT INTO items (id, label) VALUES (1, 'dup')") }) == nil
                try txn.execute("INSERT INTO items (id, label) VALUES (2, 'b')")
                return duplicate
            }
            #expect(inserted)
            #expect(try await db.itemIDs() == [1, 2])
        }
    }

    @Test("reads run in read-only transactions")
    func readsCannotWrite() async throws {
        try await withEachDatabase { db in
            try await db.createItemsTable()
            await #expect(throws: StorageError.self) {
                try await db.read { conn in try conn.execute("INSERT INTO items (id, label) VALUES (1, 'a')") }
            }
            #expect(try await db.itemIDs() == [])
        }
    }

    @Test("query takes one statement; executeScript takes several")
    func oneStatementPerQuery() async throws {
        try await withEachDatabase(schema: nil) { db in
            await #expect(throws: StorageError.self) {
                try await db.write { txn in try txn.query("CREATE TABLE a (x BIGINT); CREATE TABLE b (x BIGINT)") }
            }
            try await db.write { txn in try txn.executeScript("CREATE TABLE a (x BIGINT); CREATE TABLE b (x BIGINT)") }
            let count = try await db.read { conn in try conn.query(conn.dialect.listTablesSQL).count }
            #expect(count == 2)
        }
    }

    @Test("many concurrent writes commit; a failing one changes nothing and gets its own error")
    func groupCommit() async throws {
        try await withEachDatabase(maxConnections: 8) { db in
            try await db.createItemsTable()
            try await db.write { txn in try txn.execute("INSERT INTO items (id, label) VALUES (1000, 'existing')") }
            let results = try await withThrowingTaskGroup(of: (Int64, Result<Int, StorageError>).self) { group in
                for id in Int64(1)...60 {
                    group.addTask {
                        do {
                            let changed = try await db.write { txn in
                                try txn.execute("INSERT INTO items (id, label) VALUES (?, ?)", [.integer(id), "new"])
                                switch id {
                                case 17: throw IntentionalFailure()
                                case 31: return try txn.execute("INSERT INTO items (id, label) VALUES (1000, 'dup')")
                                default: return 1
                                }
                            }
                            return (id, .success(changed))
                        } catch let error as StorageError {
                            return (id, .failure(error))
                        } catch is IntentionalFailure {
                            return (id, .failure(.queryFailed(message: "intentional")))
                        }
                    }
                }
                return try await group.reduce(into: [Int64: Result<Int, StorageError>]()) { $0[$1.0] = $1.1 }
            }
            let failed = results.filter { if case .failure = $0.value { true } else { false } }.keys.sorted()
            #expect(failed == [17, 31])
            if case .failure(let error) = results[31], case .uniqueViolation = error {} else {
                Issue.record("\(db.dialect): write 31 should fail with uniqueViolation, got \(String(describing: results[31]))")
            }
            let expected = (Int64(1)...60).filter { $0 != 17 && $0 != 31 } + [1000]
            #expect(try await db.itemIDs() == expected)
        }
    }

    @Test("ping answers while open and reports .closed afterwards")
    func ping() async throws {
        try await withEachDatabase(schema: nil) { db in
            try await db.ping()
        }
        try await withSQLiteDatabase(schema: nil) { db in
            await db.close()
            await #expect(throws: StorageError.closed) { try await db.ping() }
            await #expect(throws: StorageError.closed) { try await db.write { _ in 1 } }
        }
    }
}
