import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
@testable import Rooms
import Storage
import Testing

/// The writer keeps at most its capacity of room snapshots; a room evicted from memory is reloaded from the store
/// and its next event continues the room exactly (prev_events, depth).
@Suite struct WriterSnapshotEvictionTests {
    @Test func writingToMoreRoomsThanTheBoundKeepsTheCacheAtTheBoundAndEvictedRoomsContinue() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("evict.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "evict"), snapshotCapacity: 2
            )
            let creator = try UserID("@creator:evict.test")
            var rooms: [RoomID] = []
            var last: [RoomID: EventID] = [:]
            for _ in 0..<5 {
                let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                    EventIntent(sender: creator, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(creator.rawValue)]),
                    EventIntent(sender: creator, type: EventType.member, stateKey: creator.rawValue, content: ["membership": "join"]),
                ]))
                rooms.append(created[0].roomID)
                last[created[0].roomID] = created[1].eventID
                #expect(await writer.cachedSnapshotCount <= 2)
            }
            for round in 0..<2 {
                for roomID in rooms {
                    let previous = try #require(last[roomID])
                    let sent = try await writer.write(WriteUnit(target: .existing(roomID), intents: [
                        EventIntent(sender: creator, type: "m.room.message", content: ["body": .string("round \(round)")]),
                    ]))
                    let event = try #require(try await store.event(sent[0].eventID))
                    let json = try JSONValue.parse(event.json)
                    let previousEvent = try #require(try await store.event(previous))
                    let previousDepth = try #require(try JSONValue.parse(previousEvent.json)["depth"]?.integerValue)
                    #expect(json["prev_events"] == [.string(previous.rawValue)], "the event follows the room's newest event")
                    #expect(json["depth"]?.integerValue == previousDepth + 1)
                    last[roomID] = sent[0].eventID
                    #expect(await writer.cachedSnapshotCount == 2)
                }
            }
        }
    }
}
