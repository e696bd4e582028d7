import AxonTesting
import Foundation
import Storage
import Testing

/// A commit whose acknowledgement is lost may have happened: its stream IDs are looked up before being taken
/// for holes, and several writers' positions merge into one no reader can read past.
@Suite("Stream IDs across uncertain commits and several writers")
struct CommitUncertaintyTests {
    @Test("a commit whose acknowledgement was lost is found committed, and its ID is never handed out again")
    func lostAcknowledgement() async throws {
        try await withEachDatabase { base in
            let database = LosingAcknowledgements(base)
            try await base.write { txn in try txn.executeScript("CREATE TABLE ack_rows (stream_id BIGINT PRIMARY KEY)") }
            let allocator = try await StreamIDAllocator.open(stream: "acks", instance: "main", database: database)
            try await allocator.write(count: 1, isCommitted: Self.hasRow) { txn, ids in try Self.insert(ids[0], txn) }
            // PostgreSQL records the position in a write of its own; it must not be the one that loses its answer.
            try await Self.waitUntilRecorded(1, db: base)
            database.loseNextAcknowledgement()
            await #expect(throws: StorageError.self) {
                try await allocator.write(count: 1, isCommitted: Self.hasRow) { txn, ids in try Self.insert(ids[0], txn) }
            }
            #expect(try await Self.rows(base) == [1, 2], "the second commit happened")
            // Taken for a hole, 2 would never become the position; looked up, it does.
            let reached = try await Self.within(.seconds(10)) { await allocator.waitUntilPersisted(2) }
            #expect(reached == true, "the position reaches the commit whose acknowledgement was lost")
            // A restarted writer must not hand 2 out again (SQLite resumes from the recorded position).
            try await Self.waitUntilRecorded(2, db: base)
            let reopened = try await StreamIDAllocator.open(stream: "acks", instance: "main", database: base)
            let (_, next) = try await reopened.write(count: 1, isCommitted: Self.hasRow) { txn, ids in try Self.insert(ids[0], txn) }
            #expect(next == [3])
        }
    }

    @Test("a failure inside the transaction is a hole at once, without a lookup")
    func bodyFailureIsAHole() async throws {
        try await withEachDatabase { db in
            try await db.write { txn in try txn.executeScript("CREATE TABLE ack_rows (stream_id BIGINT PRIMARY KEY)") }
            let allocator = try await StreamIDAllocator.open(stream: "holes", instance: "main", database: db)
            let looked = Counter()
            await #expect(throws: StorageError.self) {
                try await allocator.write(count: 1, isCommitted: { _, _ in looked.add(); return false }) { _, _ in
                    throw StorageError.queryFailed(message: "refused")
                }
            }
            try await allocator.write(count: 1) { txn, ids in try Self.insert(ids[0], txn) }
            #expect(allocator.persistedUpTo == 2)
            #expect(looked.value == 0)
        }
    }

    private static let hasRow: @Sendable (any Connection, [Int64]) throws -> Bool = { connection, ids in
        try connection.queryOne("SELECT 1 FROM ack_rows WHERE stream_id = ?", [.integer(ids[0])]) != nil
    }

    private static func insert(_ id: Int64, _ txn: any Transaction) throws {
        try txn.execute("INSERT INTO ack_rows (stream_id) VALUES (?)", [.integer(id)])
    }

    private static func rows(_ db: any Database) async throws -> [Int64] {
        try await db.read { conn in try conn.query("SELECT stream_id FROM ack_rows ORDER BY stream_id").map { try $0.decode(0, as: Int64.self) } }
    }

    private static func waitUntilRecorded(_ position: Int64, db: any Database) async throws {
        for _ in 0..<500 {
            let recorded = try await db.read { conn in
                try conn.queryOne("SELECT position FROM stream_positions WHERE stream_name = 'acks' AND instance_name = 'main'")?
                    .decode(0, as: Int64.self)
            }
            if recorded == position { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("position \(position) was never recorded")
    }

    /// `body`'s result, or `nil` if it takes longer than `limit`.
    private static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async throws -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}

/// Commits normally, but can report the next commit as failed after it happened (a connection lost with the
/// acknowledgement).
final class LosingAcknowledgements: Database {
    let base: any Database
    private let armed = Locked(false)

    init(_ base: any Database) { self.base = base }

    func loseNextAcknowledgement() { armed.withLock { $0 = true } }

    var dialect: SQLDialect { base.dialect }

    func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await base.read(body)
    }

    /// The next write to start loses its acknowledgement (decided at its start, so a write already under way when
    /// the loss is armed is not the one).
    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        let loses = armed.withLock { armed in defer { armed = false }; return armed }
        let value = try await base.write(body)
        if loses {
            throw StorageError.connectionFailed(reason: "connection lost before the commit was acknowledged")
        }
        return value
    }

    func close() async { await base.close() }
}

final class Counter: Sendable {
    private let count = Locked(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
