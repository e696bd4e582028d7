import AxonTesting
import MatrixTypes
import RoomStore
import Storage
import Testing

/// A few state slots read at each event of a run, through delta chains and snapshots alike, must be what the
/// whole state at that event says; slots whose keys differ only in Unicode normalisation stay apart.
@Suite struct StateSlotsTests {
    @Test func slotsAtEachEventMatchTheWholeStateThere() async throws {
        try await withEachDatabase { db in
            // Short chains, so the run crosses snapshots and deltas.
            let store = try await RoomStore.open(database: db, instance: "main", policy: StateGroupPolicy(maxChainLength: 2, minimumDeltaRows: 1))
            let room = try RoomFixture()
            let composed = try room.user("\u{E9}")
            let decomposed = try room.user("e\u{301}")
            try await store.persist(try Self.history(
                room, firstMember: ("composed", composed), rounds: 6, member: decomposed,
                names: { $0 % 2 == 0 ? "decomposed\($0)" : "visibility\($0)" }
            ))
            let keys = [StateKey("m.room.history_visibility", ""), .member(composed.rawValue), .member(decomposed.rawValue)]
            let run = try await store.history(in: room.roomID, from: .afterStream(0), to: nil, direction: .forward, limit: 100)
            let page = Array(run.dropFirst(3))
            let slots = try await store.slots(keys, at: page)
            for event in page {
                let whole = try #require(try await store.state(after: event.eventID))
                let read = try #require(slots.after[event.eventID])
                for key in keys {
                    #expect(read[key]?.eventID == whole[key], "\(key) after \(event.eventID)")
                }
            }
            let before = try #require(try await store.state(after: try room.id("composed")))
            for key in keys {
                #expect(slots.beforeOldest[key]?.eventID == before[key], "\(key) before the run")
            }
        }
    }

    /// What each state event replaced, read for a page in one go, is its slot in the whole state just before it,
    /// also when the page skips events (a filtered page); first-time slots replaced nothing.
    @Test func replacedStateIsTheSlotJustBeforeEachStateEvent() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main", policy: StateGroupPolicy(maxChainLength: 2, minimumDeltaRows: 1))
            let room = try RoomFixture()
            let bob = try room.user("bob")
            try await store.persist(try Self.history(room, firstMember: ("join", bob), rounds: 5, member: bob, names: { "state\($0)" }))
            let run = try await store.history(in: room.roomID, from: .afterStream(0), to: nil, direction: .forward, limit: 100)
            for page in [run, run.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)] {
                let replaced = try await store.replacedState(of: page)
                for event in page {
                    guard let stateKey = event.stateKey else {
                        #expect(replaced[event.eventID] == nil)
                        continue
                    }
                    let before = try await store.state(in: room.roomID, atStream: event.streamOrdering - 1)
                    #expect(replaced[event.eventID]?.eventID == before?[StateKey(event.type, stateKey)], "\(event.eventID)")
                }
            }
            #expect(try await store.replacedState(of: run)[try room.id("create")] == nil)
            #expect(try await store.replacedState(of: run)[try room.id("state2")]?.eventID == (try room.id("state0")))
        }
    }

    /// Create, history visibility and `firstMember`'s join, then `rounds` times a message followed by a state event
    /// named `names(round)`: on even rounds `member`'s join, on odd ones a history visibility change.
    private static func history(
        _ room: RoomFixture, firstMember: (name: String, user: UserID), rounds: Int, member: UserID, names: (Int) -> String
    ) throws -> [NewEvent] {
        var events = [
            try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
            try room.stateEvent("vis1", type: "m.room.history_visibility", depth: 2, prev: "create"),
            try room.stateEvent(
                firstMember.name, type: "m.room.member", stateKey: firstMember.user.rawValue, depth: 3, prev: "vis1", membership: "join"
            ),
        ]
        var previous = firstMember.name
        for index in 0..<rounds {
            events.append(try room.message("m\(index)", depth: Int64(4 + 2 * index), prev: previous))
            let name = names(index)
            events.append(
                index % 2 == 0
                    ? try room.stateEvent(name, type: "m.room.member", stateKey: member.rawValue, depth: Int64(5 + 2 * index), prev: "m\(index)", membership: "join")
                    : try room.stateEvent(name, type: "m.room.history_visibility", depth: Int64(5 + 2 * index), prev: "m\(index)")
            )
            previous = name
        }
        return events
    }
}
