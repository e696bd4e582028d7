import AxonTesting
import Foundation
import Storage
import StorageSQLite
import Testing

@Suite("SQLite engine")
struct SQLiteEngineTests {
    @Test("the file is in WAL mode and foreign keys are enforced")
    func pragmas() async throws {
        try await withSQLiteDatabase(schema: nil) { db in
            let mode = try await db.read { conn in try conn.queryValue("PRAGMA journal_mode", as: String.self) }
            #expect(mode == "wal")
            try await db.write { txn in
                try txn.executeScript(
                    """
                    CREATE TABLE parents (id BIGINT PRIMARY KEY);
                    CREATE TABLE children (id BIGINT PRIMARY KEY, parent BIGINT NOT NULL REFERENCES parents (id));
                    """
                )
            }
            let error = await #expect(throws: StorageError.self) {
                try await db.write { txn in try txn.execute("INSERT INTO children (id, parent) VALUES (1, 42)") }
            }
            guard case .constraintViolation = error else {
                Issue.record("expected constraintViolation, got \(String(describing: error))")
                return
            }
        }
    }

    @Test("a read keeps its snapshot while the writer commits")
    func snapshotIsolation() async throws {
        try await withSQLiteDatabase(schema: nil) { db in
            try await db.write { txn in try txn.executeScript("CREATE TABLE items (id BIGINT PRIMARY KEY)") }
            let firstReadDone = DispatchSemaphore(value: 0)
            let writeDone = DispatchSemaphore(value: 0)
            async let counts = db.read { conn in
                let before = try conn.queryValue("SELECT count(*) FROM items", as: Int64.self)
                firstReadDone.signal()
                writeDone.wait()
                let after = try conn.queryValue("SELECT count(*) FROM items", as: Int64.self)
                return (before, after)
            }
            await Self.wait(for: firstReadDone)
            try await db.write { txn in try txn.execute("INSERT INTO items (id) VALUES (1)") }
            writeDone.signal()
            let (before, after) = try await counts
            #expect(before == 0)
            #expect(after == 0)
            #expect(try await db.read { conn in try conn.queryValue("SELECT count(*) FROM items", as: Int64.self) } == 1)
        }
    }

    @Test("a file that is not a database fails to open with a reason")
    func notADatabase() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("axon-not-a-db-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = await #expect(throws: StorageError.self) {
            _ = try await SQLiteDatabase(path: path)
        }
        guard case .connectionFailed(let reason) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("not a database"))
    }

    /// Waits on a semaphore without blocking the cooperative pool.
    private static func wait(for semaphore: DispatchSemaphore) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                semaphore.wait()
                continuation.resume()
            }
        }
    }
}
