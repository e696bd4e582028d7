import AxonTesting
import MatrixTypes
import Testing

/// The sync most clients make most often: a long-poll woken by a message in a room they are joined to, with lazy
/// loading, the sender's member event already held. It is answered from memory (the writer's newest events, the
/// lazy-loading record, the cached memberships), without touching the database.
@Suite struct IncrementalSyncCostTests {
    @Test func aWokenIncrementalSyncOfNewMessagesReadsNoDatabase() async throws {
        try await withNamedRoom { counting, stack, alice, bob, room in
            try await stack.send(bob, room, "hello")
            // The first response sends bob's member event; the next request, continuing from it, confirms it held.
            var token = try #require(try await stack.sync(alice, lazy: true)["next_batch"]?.stringValue)
            token = try #require(try await stack.sync(alice, since: token, lazy: true)["next_batch"]?.stringValue)

            for round in 0..<3 {
                let sent = try await stack.send(bob, room, "message \(round)")
                let (response, calls) = try await counting.calls { try await stack.sync(alice, since: token, lazy: true) }
                #expect(calls == 0, "database reads or writes for one woken sync")
                #expect(response.timeline(room).compactMap { $0["event_id"]?.stringValue } == [sent.rawValue])
                let state = response["rooms"]?["join"]?[room.rawValue]?["state"]?["events"]?.arrayValue
                #expect(state?.isEmpty == true, "bob's member event is held already: \(String(describing: state))")
                token = try #require(response["next_batch"]?.stringValue)
            }
        }
    }

    /// A message from a member the device has not seen yet brings that member's event in `state`, read with the
    /// sender's slot alone. No membership changed, so the room's summary is not recomputed (as in Synapse, which
    /// recomputes it only for member events in the timeline or, in a gap, in the state).
    @Test func aNewSendersMemberEventIsReadAloneWithoutASummary() async throws {
        try await withNamedRoom { counting, stack, alice, bob, room in
            try await stack.send(alice, room, "hello")
            // A one-event timeline, and a named room (no heroes): alice's device never sees bob's join.
            var token = try #require(try await stack.sync(alice, timelineLimit: 1, lazy: true)["next_batch"]?.stringValue)
            token = try #require(try await stack.sync(alice, since: token, lazy: true)["next_batch"]?.stringValue)

            try await stack.send(bob, room, "first words")
            let (response, calls) = try await counting.calls { try await stack.sync(alice, since: token, lazy: true) }
            #expect(calls <= 1, "one read for bob's member slot")
            let joined = response["rooms"]?["join"]?[room.rawValue]
            let state = joined?["state"]?["events"]?.arrayValue ?? []
            #expect(state.map { $0["state_key"]?.stringValue } == [bob.rawValue])
            #expect(joined?["summary"] == nil, "no membership changed")
        }
    }

    /// Alice's named room (no heroes needed), which bob has joined, on each engine, with database calls counted.
    private func withNamedRoom(_ body: (CountingDatabase, SyncStack, UserID, UserID, RoomID) async throws -> Void) async throws {
        try await withEachDatabase { database in
            let counting = CountingDatabase(database)
            let stack = try await SyncStack.make(database: counting, presenceEnabled: false)
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            let room = try await stack.createRoom(alice)
            try await stack.name(room, "chat", by: alice)
            try await stack.join(bob, room)
            try await body(counting, stack, alice, bob, room)
        }
    }
}
