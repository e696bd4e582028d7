import AxonTesting
import MatrixTypes
import RoomStore
import Storage
import Synchronization
import Testing

/// The long-polls one message wakes ask for the same slots at the same events at the same moment: they share one
/// database read, and each gets the whole answer.
@Suite struct SharedSlotReadsTests {
    @Test func identicalSlotReadsInFlightShareOneDatabaseRead() async throws {
        try await withEachDatabase { db in
            let gated = GatedReads(db)
            let store = try await RoomStore.open(database: gated, instance: "main")
            let room = try RoomFixture()
            let bob = try room.user("bob")
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.stateEvent("bob", type: EventType.member, stateKey: bob.rawValue, sender: bob, depth: 2, prev: "create", membership: "join"),
                try room.message("hello", depth: 3, prev: "bob"),
            ])
            let message = try #require(try await store.events([try room.id("hello")]).first)
            gated.hold()
            let readers = 10
            let answers = try await withThrowingTaskGroup(of: EventID?.self) { group in
                for _ in 0..<readers {
                    group.addTask { try await store.slots([.member(bob.rawValue)], at: [message]).after[message.eventID]?[.member(bob.rawValue)]?.eventID }
                }
                // Every reader has asked before the first read may reach the database.
                while gated.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                try await Task.sleep(for: .milliseconds(200))
                gated.release()
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers == Array(repeating: try room.id("bob"), count: readers))
            #expect(gated.waiting == 1, "one database read for \(readers) identical reads")
        }
    }
}

/// Holds reads back while closed, counting those that waited.
final class GatedReads: Database {
    let base: any Database
    private let state = Mutex<(closed: Bool, waiting: Int)>((false, 0))

    init(_ base: any Database) {
        self.base = base
    }

    var dialect: SQLDialect { base.dialect }
    var waiting: Int { state.withLock { $0.waiting } }

    func hold() { state.withLock { $0.closed = true } }
    func release() { state.withLock { $0.closed = false } }

    func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        let wasClosed = state.withLock { state in
            if state.closed { state.waiting += 1 }
            return state.closed
        }
        if wasClosed {
            while state.withLock({ $0.closed }) { try await Task.sleep(for: .milliseconds(2)) }
        }
        return try await base.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await base.write(body)
    }

    func close() async {
        await base.close()
    }
}
