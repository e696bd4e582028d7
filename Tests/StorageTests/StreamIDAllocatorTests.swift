import AxonTesting
import Foundation
import Storage
import Testing

@Suite("Stream ID allocator")
struct StreamIDAllocatorTests {
    @Test("IDs increase, failures leave holes, and a reopened allocator resumes")
    func basics() async throws {
        try await withEachDatabase { db in
            try await Self.createRowsTable(db)
            let allocator = try await StreamIDAllocator.open(stream: "basics", instance: "main", database: db)
            #expect(allocator.persistedUpTo == 0)

            let (_, first) = try await allocator.write { txn, id in try Self.insert(id, txn) }
            #expect(first == 1)
            #expect(allocator.persistedUpTo == 1)

            await #expect(throws: IntentionalFailure.self) {
                try await allocator.write { txn, id in
                    try Self.insert(id, txn)
                    throw IntentionalFailure()
                }
            }
            #expect(allocator.persistedUpTo == 1)

            let (_, batch) = try await allocator.write(count: 3) { txn, ids in
                for id in ids { try Self.insert(id, txn) }
            }
            #expect(batch == [3, 4, 5])
            #expect(allocator.persistedUpTo == 5)
            #expect(try await Self.rowIDs(db) == [1, 3, 4, 5])

            try await Self.waitForRecordedPosition(5, db: db)
            let reopened = try await StreamIDAllocator.open(stream: "basics", instance: "main", database: db)
            #expect(reopened.persistedUpTo == 5)
            let (_, next) = try await reopened.write { txn, id in try Self.insert(id, txn) }
            #expect(next > 5)
        }
    }

    @Test("observers see every advance in order and waiters wake at their position")
    func observe() async throws {
        try await withEachDatabase { db in
            try await Self.createRowsTable(db)
            let allocator = try await StreamIDAllocator.open(stream: "observed", instance: "main", database: db)
            var positions = allocator.positions().makeAsyncIterator()
            #expect(await positions.next() == 0)
            async let waited = allocator.waitUntilPersisted(3)
            for _ in 1...3 {
                _ = try await allocator.write { txn, id in try Self.insert(id, txn) }
            }
            #expect(await waited)
            var seen: [Int64] = []
            while let position = await positions.next() {
                seen.append(position)
                if position == 3 { break }
            }
            #expect(seen == seen.sorted())
            #expect(seen.last == 3)
        }
    }

    @Test("streams and instances are independent")
    func independentStreams() async throws {
        try await withEachDatabase { db in
            try await Self.createRowsTable(db)
            let a = try await StreamIDAllocator.open(stream: "stream_a", instance: "main", database: db)
            let b = try await StreamIDAllocator.open(stream: "stream_b", instance: "main", database: db)
            _ = try await a.write { _, _ in }
            _ = try await a.write { _, _ in }
            let (_, id) = try await b.write { _, _ in }
            #expect(id == 1)
            #expect(a.persistedUpTo == 2)
            #expect(b.persistedUpTo == 1)
        }
    }

    /// The property design §3 rests on: with transactions committing out of order (PostgreSQL)
    /// and some rolling back, a reader that trusts `persistedUpTo` never misses a row.
    @Test("persistedUpTo never passes an ID that is neither committed nor abandoned")
    func outOfOrderCommits() async throws {
        try await withEachDatabase(maxConnections: 24) { db in
            try await Self.createRowsTable(db)
            let allocator = try await StreamIDAllocator.open(stream: "ordering", instance: "main", database: db)
            let abandoned = Locked<Set<Int64>>([])
            let commitOrder = Locked<[Int64]>([])
            let writersDone = Locked(false)

            async let observer: Int = Self.observe(allocator, db: db, abandoned: abandoned, until: writersDone)
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        let abort = Int.random(in: 0..<4) == 0
                        let result = try? await allocator.write { txn, id in
                            try Self.insert(id, txn)
                            Thread.sleep(forTimeInterval: Double.random(in: 0...0.03))
                            if abort {
                                abandoned.withLock { _ = $0.insert(id) }
                                throw IntentionalFailure()
                            }
                        }
                        if let (_, id) = result {
                            commitOrder.withLock { $0.append(id) }
                        }
                    }
                }
            }
            writersDone.withLock { $0 = true }
            let checks = await observer
            #expect(checks > 0)

            let committed = commitOrder.withLock { $0 }
            let holes = abandoned.withLock { $0 }
            #expect(Set(committed).isDisjoint(with: holes))
            #expect(committed.count + holes.count == 20)
            #expect(try await Self.rowIDs(db) == committed.sorted())
            #expect(allocator.persistedUpTo == committed.max() ?? 0)
            if db.dialect == .postgres {
                #expect(committed != committed.sorted(), "expected some transactions to commit out of order")
            }
        }
    }

    /// Repeatedly reads the position, then the rows at or below it, and checks none is missing.
    /// - Returns: how many checks ran.
    private static func observe(
        _ allocator: StreamIDAllocator,
        db: any Database,
        abandoned: Locked<Set<Int64>>,
        until done: Locked<Bool>
    ) async -> Int {
        var checks = 0
        var last: Int64 = 0
        while true {
            let finished = done.withLock { $0 }
            let position = allocator.persistedUpTo
            #expect(position >= last, "persistedUpTo went backwards")
            last = position
            do {
                let visible = Set(try await db.read { conn in
                    try conn.query("SELECT stream_id FROM stream_rows WHERE stream_id <= ?", [.integer(position)])
                        .map { try $0.decode(0, as: Int64.self) }
                })
                let holes = abandoned.withLock { $0 }
                let missing = position > 0 ? Set(1...position).subtracting(visible).subtracting(holes) : []
                #expect(missing.isEmpty, "\(db.dialect): persistedUpTo \(position) passed uncommitted IDs \(missing.sorted())")
            } catch {
                Issue.record("observer read failed: \(error)")
            }
            checks += 1
            if finished { return checks }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    private static func createRowsTable(_ db: any Database) async throws {
        try await db.write { txn in try txn.executeScript("CREATE TABLE stream_rows (stream_id BIGINT PRIMARY KEY)") }
    }

    private static func insert(_ id: Int64, _ txn: any Transaction) throws {
        try txn.execute("INSERT INTO stream_rows (stream_id) VALUES (?)", [.integer(id)])
    }

    private static func rowIDs(_ db: any Database) async throws -> [Int64] {
        try await db.read { conn in
            try conn.query("SELECT stream_id FROM stream_rows ORDER BY stream_id").map { try $0.decode(0, as: Int64.self) }
        }
    }

    /// `stream_positions` is exact at commit on SQLite and caught up shortly after on PostgreSQL.
    private static func waitForRecordedPosition(_ position: Int64, db: any Database) async throws {
        for _ in 0..<200 {
            let recorded = try await db.read { conn in
                try conn.queryOne(
                    "SELECT position FROM stream_positions WHERE stream_name = 'basics' AND instance_name = 'main'"
                )?.decode(0, as: Int64.self)
            }
            if recorded == position { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(db.dialect): stream_positions never reached \(position)")
    }
}
