import AxonTesting
import MatrixTypes
import Rooms
import Storage
import Sync
import Testing

/// A filtered sync timeline is filled with events that pass the filter, loading older pages in place of what the
/// filter drops, but only a bounded number of pages per room, on each engine.
@Suite struct FilteredTimelineTests {
    static let messagesOnly = SyncFilter(json: ["room": ["timeline": ["limit": 2, "types": ["m.room.message"]]]])

    /// A message behind `noise` filtered-out events, and what an initial sync asking for two messages shows.
    func syncBehind(noise: Int, on database: any Database) async throws -> (message: EventID, timeline: [JSONValue], limited: JSONValue?) {
        let stack = try await SyncStack.make(database: database)
        let alice = try UserID("@alice:sync.test")
        let room = try await stack.createRoom(alice)
        let message = try await stack.send(alice, room, "behind the noise")
        for _ in 0..<(noise / 10) {
            _ = try await stack.writers[0].write(WriteUnit(target: .existing(room), intents: Array(repeating:
                EventIntent(sender: alice, type: "org.example.noise", content: ["n": 1]), count: 10)))
        }
        let response = try await stack.sync.sync(SyncRequest(
            user: alice, deviceID: "DEV", since: nil, timeout: .zero, fullState: false, filter: Self.messagesOnly
        ))
        return (message, response.timeline(room), response["rooms"]?["join"]?[room.rawValue]?["timeline"]?["limited"])
    }

    @Test func filteredOutEventsDoNotTakeTheTimelinesPlaces() async throws {
        try await withEachDatabase { database in
            let (message, timeline, limited) = try await syncBehind(noise: 40, on: database)
            #expect(timeline.compactMap { $0["event_id"]?.stringValue } == [message.rawValue], "\(timeline)")
            #expect(limited == false, "the whole room was read: nothing that passes the filter was left out")
        }
    }

    @Test func refillingStopsAfterBoundedPages() async throws {
        try await withEachDatabase { database in
            // One page of 2 and five refills of 10 reach 52 events back; the message lies 151 back.
            let (_, timeline, limited) = try await syncBehind(noise: 150, on: database)
            #expect(timeline.isEmpty, "\(timeline)")
            #expect(limited == true, "older events were left unread")
        }
    }
}
