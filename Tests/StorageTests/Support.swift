import Storage

/// An error a test's write closure throws on purpose.
struct IntentionalFailure: Error, Equatable {}

extension Database {
    /// Creates a scratch table with one integer key and a text column.
    func createItemsTable() async throws {
        try await write { txn in
            try txn.executeScript("CREATE TABLE items (id BIGINT PRIMARY KEY, label TEXT NOT NULL)")
        }
    }

    func itemIDs() async throws -> [Int64] {
        try await read { conn in
            try conn.query("SELECT id FROM items ORDER BY id").map { row in try row.decode("id", as: Int64.self) }
        }
    }
}
