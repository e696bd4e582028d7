import AxonTesting
import Foundation
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// A room new to the client starts its sync timeline with what the history visibility in force at each event
/// shows the user, for every transition between the four settings, both ways, on each engine.
@Suite struct SyncHistoryVisibilityTests {
    static let settings = ["world_readable", "shared", "invited", "joined"]

    @Test(arguments: settings.flatMap { from in settings.filter { $0 != from }.map { (from, $0) } })
    func aNewRoomsTimelineFollowsTheSettingAtEachEvent(from: String, to: String) async throws {
        try await withEachDatabase { database in
            let stack = try await SyncStack.make(database: database)
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            let room = try await stack.createRoom(alice)
            func write(_ intent: EventIntent) async throws -> EventID {
                try await stack.writers[0].write(WriteUnit(target: .existing(room), intents: [intent]))[0].eventID
            }
            func visibility(_ value: String) async throws -> EventID {
                try await write(EventIntent(sender: alice, type: "m.room.history_visibility", stateKey: "", content: ["history_visibility": .string(value)]))
            }
            _ = try await visibility(from)
            let before = try await stack.send(alice, room, "under \(from), bob uninvited")
            _ = try await write(EventIntent(sender: alice, type: EventType.member, stateKey: bob.rawValue, content: ["membership": "invite"]))
            let invited = try await stack.send(alice, room, "under \(from), bob invited")
            _ = try await visibility(to)
            let after = try await stack.send(alice, room, "under \(to), bob invited")
            try await stack.join(bob, room)

            let sync = try await stack.sync(bob, timelineLimit: 50)
            let seen = Set(sync.timeline(room).compactMap { $0["event_id"]?.stringValue })
            for (event, setting, membership) in [(before, from, "none"), (invited, from, "invite"), (after, to, "invite")] {
                let expected = setting == "world_readable" || setting == "shared" || (setting == "invited" && membership == "invite")
                #expect(seen.contains(event.rawValue) == expected, "\(from)→\(to): \(event) under \(setting) as \(membership)")
            }
        }
    }
}
