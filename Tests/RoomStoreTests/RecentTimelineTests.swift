import AxonTesting
import MatrixTypes
import RoomStore
import Testing

/// The newest events a writing store keeps in memory answer exactly as the database does: random batches of
/// messages, state, rejected, soft-failed and outlier events, redactions and client transactions in two rooms, with
/// limits small enough that rooms lose their oldest events and are forgotten, compared after every batch with a
/// store that wrote nothing (so reads only the database).
@Suite struct RecentTimelineTests {
    @Test(arguments: [1, 2, 3])
    func memoryAnswersAsTheDatabaseDoes(seed: UInt64) async throws {
        try await withEachDatabase { db in
            let counting = CountingDatabase(db)
            let writer = try await RoomStore.open(
                database: counting, instance: "main", recent: RecentTimelineLimits(eventsPerRoom: 6, bytes: 900)
            )
            let reference = try await RoomStore.open(database: db, instance: "reference")
            var random = SeededRandomNumberGenerator(seed: seed)
            var rooms = [try RoomHistory("a"), try RoomHistory("b")]
            for index in rooms.indices { try await writer.persist([try rooms[index].create()]) }
            var fromMemory = 0
            for batchIndex in 0..<60 {
                var batch: [NewEvent] = []
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    let room = Int.random(in: 0..<rooms.count, using: &random)
                    batch.append(try rooms[room].next(batchIndex: batchIndex, using: &random))
                }
                try await writer.persist(batch)
                let upTo = writer.persistedUpTo
                for room in rooms {
                    for _ in 0..<6 {
                        let after: Int64? = Bool.random(using: &random) ? nil : Int64.random(in: 0...upTo, using: &random)
                        let end = Int64.random(in: (after ?? 0)...upTo, using: &random)
                        let limit = Int.random(in: 0...8, using: &random)
                        let (cached, calls) = try await counting.calls {
                            try await writer.recentEvents(in: room.roomID, after: after, upTo: end, limit: limit)
                        }
                        if calls == 0 { fromMemory += 1 }
                        let stored = try await reference.recentEvents(in: room.roomID, after: after, upTo: end, limit: limit)
                        #expect(Self.summary(cached.events) == Self.summary(stored.events), "after \(String(describing: after)) up to \(end) limit \(limit)")
                        #expect(cached.limited == stored.limited, "after \(String(describing: after)) up to \(end) limit \(limit)")
                        let last = try await writer.lastEventID(in: room.roomID, upTo: end)
                        #expect(last == (try await reference.lastEventID(in: room.roomID, upTo: end)), "last event up to \(end)")
                    }
                }
            }
            #expect(fromMemory > 100, "most recent reads are answered from memory: \(fromMemory)")
        }
    }

    /// What a read returns of each event, compared by bytes.
    static func summary(_ events: [RoomEvent]) -> [String] {
        events.map { event in
            let transaction = event.transaction.map { "\($0.userID.rawValue)|\($0.deviceID)|\($0.scope)|\($0.txnID)" } ?? "-"
            return [
                event.eventID.rawValue, event.roomID.rawValue, event.type, event.stateKey ?? "-", event.sender.rawValue,
                "\(event.streamOrdering)", "\(event.topologicalOrdering)", String(decoding: event.json, as: UTF8.self), transaction,
                event.redactedBy?.rawValue ?? "-",
            ].joined(separator: " ")
        }
    }
}

/// One room's linear history as random events are added to it.
private struct RoomHistory {
    let fixture: RoomFixture
    let name: String
    private var last: String
    private var depth: Int64 = 1
    private var counter = 0
    private var timeline: [String] = []

    init(_ name: String) throws {
        fixture = try RoomFixture(name)
        self.name = name
        last = "\(name)create"
    }

    var roomID: RoomID { fixture.roomID }

    func create() throws -> NewEvent {
        try fixture.stateEvent(last, type: "m.room.create", depth: 1, prev: nil)
    }

    /// A random next event: mostly messages, some state, rejected, soft-failed or outlier events, and redactions of
    /// earlier ones; some carry a client transaction.
    mutating func next(batchIndex: Int, using random: inout SeededRandomNumberGenerator) throws -> NewEvent {
        counter += 1
        depth += 1
        let name = "\(self.name)e\(counter)"
        let parent = last
        let transaction = Bool.random(using: &random)
            ? ClientTransaction(userID: fixture.creator, deviceID: "DEV", scope: "send", txnID: "t\(name)") : nil
        var event: NewEvent
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            event = try fixture.stateEvent(name, type: "m.room.topic", depth: depth, prev: parent)
        case 1:
            event = try fixture.event(
                name, depth: depth, prev: [parent], stateAfter: .sameAs(try fixture.id(parent)), rejectedReason: "auth_error"
            )
            return event
        case 2:
            event = try fixture.event(name, depth: depth, prev: [parent], stateAfter: .sameAs(try fixture.id(parent)), softFailed: true)
            return event
        case 3:
            return try fixture.event(name, type: "m.room.power_levels", stateKey: "", depth: 1, prev: [], stateAfter: nil, outlier: true)
        case 4 where !timeline.isEmpty:
            event = try fixture.event(name, type: "m.room.redaction", depth: depth, prev: [parent], stateAfter: .sameAs(try fixture.id(parent)))
            event.redacts = try fixture.id(timeline.randomElement(using: &random)!)
        default:
            event = try fixture.message(name, depth: depth, prev: parent, transaction: transaction)
        }
        last = name
        timeline.append(name)
        return event
    }
}
