import AxonTesting
import Foundation
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// Tokens a sync cannot serve as they are: one from the future is bounded to the persisted position, one ahead
/// only of this process is waited for a bounded time, then answered empty with the same token.
@Suite struct SyncTokenTests {
    @Test func aTokenAheadOfTheDatabaseIsBoundedToThePersistedPosition() async throws {
        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database)
            let alice = try UserID("@alice:sync.test")
            let room = try await stack.createRoom(alice)
            let first = try await stack.sync(alice)
            var future = try Self.token(first)
            future.events = EventPositions(future.events.minimum + 1_000)
            let started = ContinuousClock.now
            let bounded = try await stack.sync(alice, since: future.description)
            #expect(ContinuousClock.now - started < .seconds(5), "a token no writer can reach is not waited for")
            let next = try Self.token(bounded)
            #expect(next.events == EventPositions(stack.stores[0].persistedUpTo), "bounded to the persisted position")
            // From there on, new events arrive as usual.
            let sent = try await stack.send(alice, room, "after the bound")
            let after = try await stack.sync(alice, since: next.description)
            #expect(after.timeline(room).compactMap { $0["event_id"]?.stringValue } == [sent.rawValue])
        }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["AXON_TEST_POSTGRES"] != nil, "needs PostgreSQL"))
    func aTokenAheadOnlyOfThisProcessWaitsBoundedThenAnswersEmptyWithTheSameToken() async throws {
        try await withPostgresDatabase { database in
            // Writer 1 stands for another process: this process learns its position only when the test announces
            // it. The catch-up bound leaves room for the announcement below to land within it on a loaded machine.
            let stack = try await SyncStack.make(database: database, writerCount: 2, seenWriters: 1, catchUpTimeout: .seconds(2))
            let alice = try UserID("@alice:sync.test")
            let room = try await stack.createRoom(alice, writer: 0)
            let other = try await stack.createRoom(alice, writer: 1)
            stack.announce(writer: 1)
            let initial = try await stack.sync(alice)
            var ahead = try Self.token(initial)
            try await stack.send(alice, other, "seen elsewhere", writer: 1)
            let elsewhere = stack.stores[1].persistedUpTo
            ahead.events = EventPositions(writers: [ahead.events.position(ofWriter: 0), elsewhere], tag: stack.positions.ownership.tag)
            #expect(!stack.positions.current.reaches(ahead.events), "the other process is ahead")

            let started = ContinuousClock.now
            let waited = try await stack.sync(alice, since: ahead.description, timeout: .seconds(30))
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .milliseconds(1_800) && elapsed < .seconds(10), "waited about the catch-up bound: \(elapsed)")
            #expect(waited["next_batch"]?.stringValue == ahead.description, "the same token comes back")
            #expect(waited["rooms"]?["join"] == [:])

            // Once this process passes the token, it is served.
            let aheadText = ahead.description
            async let served = stack.sync(alice, since: aheadText, timeout: .seconds(5))
            try await Task.sleep(for: .milliseconds(100))
            let sent = try await stack.send(alice, room, "caught up", writer: 0)
            stack.announce(writer: 1)
            let response = try await served
            let next = try Self.token(response)
            #expect(next.events.reaches(ahead.events))
            #expect(response.timeline(room).compactMap { $0["event_id"]?.stringValue } == [sent.rawValue], "\(response)")
            #expect(response.timeline(other).isEmpty, "the event the token covers is not sent again")
        }
    }

    @Test func aRetriedLongPollIsSentTheLazyLoadedMembersAgain() async throws {
        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database)
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            let room = try await stack.createRoom(alice)
            try await stack.join(bob, room)
            try await stack.name(room, "Named", by: alice)
            try await stack.send(alice, room, "hello")
            let initial = try await stack.sync(alice, timelineLimit: 1, lazy: true)
            let token = try #require(initial["next_batch"]?.stringValue)
            #expect(!Self.members(initial, room).contains(bob.rawValue), "bob has not spoken yet")

            try await stack.send(bob, room, "first words")
            let lost = try await stack.sync(alice, since: token, timelineLimit: 5, lazy: true)
            #expect(Self.members(lost, room).contains(bob.rawValue))
            // That response never reached the client; it retries from the same token.
            let retried = try await stack.sync(alice, since: token, timelineLimit: 5, lazy: true)
            #expect(Self.members(retried, room).contains(bob.rawValue), "the retry carries bob's membership again: \(retried)")

            // Continuing from the retry's token shows the device holds bob's membership: not sent a third time.
            let next = try #require(retried["next_batch"]?.stringValue)
            try await stack.send(bob, room, "more words")
            let later = try await stack.sync(alice, since: next, timelineLimit: 5, lazy: true)
            #expect(!later.timeline(room).isEmpty)
            #expect(!Self.members(later, room).contains(bob.rawValue), "\(later)")
        }
    }

    static func token(_ response: JSONValue) throws -> SyncToken {
        let text = try #require(response["next_batch"]?.stringValue)
        return try #require(SyncToken(text))
    }

    static func members(_ response: JSONValue, _ room: RoomID) -> [String] {
        (response["rooms"]?["join"]?[room.rawValue]?["state"]?["events"]?.arrayValue ?? [])
            .filter { $0["type"] == "m.room.member" }.compactMap { $0["state_key"]?.stringValue }
    }
}

extension JSONValue {
    /// Timeline events of a joined room in a sync response.
    func timeline(_ room: RoomID) -> [JSONValue] {
        self["rooms"]?["join"]?[room.rawValue]?["timeline"]?["events"]?.arrayValue ?? []
    }
}
