import AxonTesting
import MatrixTypes
import RoomStore
import Rooms
import Testing

/// Someone who is not in a room reads it only while its history visibility is `world_readable`, and then only what
/// was written while it was (Synapse's `check_user_in_room_or_world_readable` and `is_peeking`).
@Suite struct PeekingTests {
    static let carol = try! UserID("@carol:hv.test")
    static let viewer = ClientEventFormat.Viewer(userID: carol, deviceID: nil)

    @Test func peekersReadOnlyWhatWasWrittenWhileWorldReadable() async throws {
        try await withEachDatabase { database in
            let room = try await VisibilityRoom.make(database: database, visibility: "shared")
            let shared = try await room.say("shared")
            _ = try await room.setVisibility("world_readable")
            let open = try await room.say("open")
            let access = try await room.reader.access(room.id, viewer: Self.carol)
            #expect(access.peeking && access.joinedAt == nil)
            let page = try await room.reader.messages(
                in: room.id, viewer: Self.viewer, from: nil, to: nil, direction: .backward, limit: 50, filter: .all
            )
            let seen = Set(page.chunk.compactMap { $0["event_id"]?.stringValue })
            #expect(seen.contains(open.eventID.rawValue) && !seen.contains(shared.eventID.rawValue), "\(seen)")
            _ = try await room.reader.event(open.eventID, in: room.id, viewer: Self.viewer)
            await #expect(throws: RoomError.self) { _ = try await room.reader.event(shared.eventID, in: room.id, viewer: Self.viewer) }
            let state = try await room.reader.state(of: room.id, viewer: Self.carol)
            #expect(state.contains { $0.type == EventType.create })
            #expect(try await room.reader.isJoined(room.id, user: Self.carol) == false, "peeking is not being in the room")

            // Closed again: no more peeking, though the open event stays readable by its ID.
            _ = try await room.setVisibility("joined")
            await #expect(throws: RoomError.self) { _ = try await room.reader.state(of: room.id, viewer: Self.carol) }
            _ = try await room.reader.event(open.eventID, in: room.id, viewer: Self.viewer)
        }
    }

    @Test(arguments: ["shared", "invited", "joined"])
    func roomsThatAreNotWorldReadableCannotBePeeked(visibility: String) async throws {
        try await withEachDatabase { database in
            let room = try await VisibilityRoom.make(database: database, visibility: visibility)
            let said = try await room.say("members only")
            await #expect(throws: RoomError.self) { _ = try await room.reader.access(room.id, viewer: Self.carol) }
            await #expect(throws: RoomError.self) {
                _ = try await room.reader.messages(in: room.id, viewer: Self.viewer, from: nil, to: nil, direction: .backward, limit: 10, filter: .all)
            }
            await #expect(throws: RoomError.self) { _ = try await room.reader.event(said.eventID, in: room.id, viewer: Self.viewer) }
        }
    }
}
