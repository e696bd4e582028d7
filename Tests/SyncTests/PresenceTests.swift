import AxonTesting
import Foundation
import MatrixTypes
import Presence
import Replication
import Rooms
import Sync
import Testing

/// Presence held in memory: carried by sync tokens, set by syncing, and reported offline when `presence.enabled` is off.
@Suite struct PresenceTests {
    @Test func aTokenFromBeforePresenceHadAPositionStillReadsAndGetsCurrentPresence() async throws {
        let old = try #require(SyncToken("a1_5_2_3_1700.4"))
        #expect(old.presence == 0 && old.typing == 4 && old.typingEpoch == 1700)
        let new = try #require(SyncToken("a1_5_2_3_1700.4.9"))
        #expect(new.presence == 9 && new.description == "a2_5_2_3_1700.4.9_0_0")
        #expect(SyncToken("a1_5_2_3_1700.4.-1") == nil && SyncToken("a1_5_2_3_1700.4.9.1") == nil)

        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database)
            let alice = try UserID("@alice:sync.test")
            _ = try await stack.createRoom(alice)
            try await stack.presence.set("unavailable", statusMessage: "away", user: alice, requester: alice)
            let first = try await stack.sync(alice)
            var legacy = try SyncTokenTests.token(first)
            legacy.presence = 0
            let text = legacy.description.split(separator: ".").dropLast().joined(separator: ".")
            let resumed = try await stack.sync(alice, since: text)
            let events = resumed["presence"]?["events"]?.arrayValue ?? []
            #expect(events.map { $0["sender"]?.stringValue } == [alice.rawValue], "\(resumed)")
        }
    }

    @Test func syncingSetsPresenceAndAnIncrementalSyncCarriesOnlyLaterChanges() async throws {
        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database)
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            let room = try await stack.createRoom(alice)
            try await stack.join(bob, room)
            let initial = try await stack.sync(bob)
            let onlineNow = (initial["presence"]?["events"]?.arrayValue ?? []).map { $0["sender"]?.stringValue }
            #expect(onlineNow == [bob.rawValue], "a sync sets its user online; alice never did: \(initial)")
            let token = try #require(initial["next_batch"]?.stringValue)
            try await stack.presence.set("online", statusMessage: nil, user: alice, requester: alice)
            let later = try await stack.sync(bob, since: token, timeout: .seconds(5))
            let events = later["presence"]?["events"]?.arrayValue ?? []
            #expect(events.map { $0["sender"]?.stringValue } == [alice.rawValue], "\(later)")
            #expect(events.first?["content"]?["currently_active"] == .bool(true), "\(later)")
        }
    }

    /// Another server's user's presence is kept as reported, for a user joined to a room here; an absurd
    /// `last_active_ago` is bounded rather than left to overflow the next read.
    @Test func remotePresenceIsKeptForMembersAndBounded() async throws {
        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database)
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:remote.test")
            let stranger = try UserID("@stranger:remote.test")
            let room = try await stack.createRoom(alice)
            try await stack.join(bob, room)
            try await stack.presence.remote("online", statusMessage: "elsewhere", lastActiveAgo: Int64.max, user: bob)
            let status = try await stack.presence.status(of: bob, viewer: alice)
            #expect(status["presence"] == "online" && status["status_msg"] == "elsewhere", "\(status)")
            try await stack.presence.remote("unavailable", statusMessage: nil, lastActiveAgo: 5_000, user: stranger)
            await #expect(throws: (any Error).self, "a user in no room here is not kept, so not visible") {
                try await stack.presence.status(of: stranger, viewer: alice)
            }
        }
    }

    @Test func disabledPresenceReadsOfflineAndRecordsNothing() async throws {
        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database, presenceEnabled: false)
            let alice = try UserID("@alice:sync.test")
            _ = try await stack.createRoom(alice)
            try await stack.presence.set("online", statusMessage: "here", user: alice, requester: alice)
            #expect(try await stack.presence.status(of: alice, viewer: alice) == ["presence": "offline"])
            // Nobody is asked about: another user reads offline too, as Synapse answers before checking rooms.
            #expect(try await stack.presence.status(of: try UserID("@nobody:sync.test"), viewer: alice) == ["presence": "offline"])
            let sync = try await stack.sync(alice)
            #expect(sync["presence"]?["events"]?.arrayValue == [], "\(sync)")
            #expect(stack.presence.position == 0)
        }
    }
}
