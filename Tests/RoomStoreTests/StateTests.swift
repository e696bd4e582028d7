import AxonTesting
import MatrixTypes
import RoomStore
import Storage
import Testing

@Suite struct StateTests {
    @Test func stateAtEveryEventIncludingAFork() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let alice = try room.user("alice")
            let topic = StateKey("m.room.topic", "")
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.stateEvent("join", type: "m.room.member", stateKey: alice.rawValue, depth: 2, prev: "create", membership: "join"),
                try room.stateEvent("pl", type: "m.room.power_levels", depth: 3, prev: "join"),
                try room.message("m1", depth: 4, prev: "pl"),
                try room.stateEvent("topicA", type: "m.room.topic", depth: 5, prev: "m1"),
                try room.stateEvent("topicB", type: "m.room.topic", depth: 5, prev: "m1"),
            ])
            let create: [StateKey: EventID] = [.create: try room.id("create")]
            #expect(try await store.state(after: try room.id("create")) == create)
            let beforeFork = create.merging([.member(alice.rawValue): try room.id("join"), .powerLevels: try room.id("pl")]) { $1 }
            #expect(try await store.state(after: try room.id("pl")) == beforeFork)
            #expect(try await store.state(after: try room.id("m1")) == beforeFork)
            #expect(try await store.state(after: try room.id("topicA")) == beforeFork.merging([topic: try room.id("topicA")]) { $1 })
            #expect(try await store.state(after: try room.id("topicB")) == beforeFork.merging([topic: try room.id("topicB")]) { $1 })
            #expect(try await store.forwardExtremities(in: room.roomID) == [try room.id("topicA"), try room.id("topicB")])

            try await store.persist([
                try room.event(
                    "merge", depth: 6, prev: ["topicA", "topicB"],
                    stateAfter: .changed(base: try room.id("topicA"), changes: [topic: try room.id("topicB")])
                )
            ])
            #expect(try await store.state(after: try room.id("merge")) == beforeFork.merging([topic: try room.id("topicB")]) { $1 })
            #expect(try await store.state(after: try room.id("topicA")) == beforeFork.merging([topic: try room.id("topicA")]) { $1 })
            #expect(try await store.forwardExtremities(in: room.roomID) == [try room.id("merge")])
        }
    }

    @Test func stateRelativeToAnEventWithoutStateIsRefusedAtomically() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            await #expect(throws: RoomStoreError.noStateFor(try room.id("missing"))) {
                try await store.persist([
                    try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                    try room.message("m1", depth: 2, prev: "missing"),
                ])
            }
            #expect(try await store.event(try room.id("create")) == nil)
            #expect(try await store.forwardExtremities(in: room.roomID).isEmpty)
        }
    }

    /// The size property: 1,000 joins and 10,000 messages stay within 3,000 state entry rows.
    @Test func largeRoomStoresFewStateRows() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            var events = [try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil)]
            var previous = "create"
            for index in 0..<1_000 {
                let name = "join\(index)"
                events.append(
                    try room.stateEvent(
                        name, type: "m.room.member", stateKey: try room.user("u\(index)").rawValue,
                        sender: try room.user("u\(index)"), depth: Int64(events.count + 1), prev: previous, membership: "join"
                    )
                )
                previous = name
                for message in 0..<10 {
                    let messageName = "m\(index)-\(message)"
                    events.append(try room.message(messageName, depth: Int64(events.count + 1), prev: previous))
                    previous = messageName
                }
            }
            for start in stride(from: 0, to: events.count, by: 1_000) {
                try await store.persist(Array(events[start..<min(start + 1_000, events.count)]))
            }

            let entries = try await db.read { try $0.queryValue("SELECT count(*) FROM state_group_entries", as: Int64.self) }
            #expect(entries <= 3_000)
            let early = try #require(try await store.state(after: try room.id("m9-5")))
            #expect(early.count == 11)
            #expect(early[.member(try room.user("u9").rawValue)] == (try room.id("join9")))
            #expect(early[.member(try room.user("u10").rawValue)] == nil)
            let late = try #require(try await store.state(after: try room.id(previous)))
            #expect(late.count == 1_001)
            #expect(try await store.members(of: room.roomID, membership: "join").count == 1_000)
            #expect(try await store.forwardExtremities(in: room.roomID) == [try room.id(previous)])
        }
    }
}
