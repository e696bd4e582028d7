import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import Rooms
import RoomStore
import RoomTesting
import Storage
import Testing

/// The writer's guest access rules: a guest joins only a room open to guests, and closing the room makes its
/// guests leave in the same write as the event that closed it, each as its own sender.
@Suite struct GuestAccessRulesTests {
    static let server = try! ServerName("guests.test")

    @Test func closingARoomMakesItsGuestsLeaveInTheSameWrite() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: Self.server, signingKey: try SigningKey.generate(), bus: InProcessBus(), logger: Logger(label: "guests")
            )
            let alice = try UserID("@alice:guests.test")
            let guest = try UserID("@7:guests.test")
            let bob = try UserID("@bob:guests.test")
            let roomID = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
                EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
                EventIntent(sender: alice, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
            ]))[0].roomID
            func join(_ user: UserID, guest: Bool) async throws(RoomError) -> [WrittenEvent] {
                try await writer.write(WriteUnit(target: .existing(roomID), intents: [
                    EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": "join"], byGuest: guest)
                ]))
            }
            func setGuestAccess(_ value: String) async throws -> [WrittenEvent] {
                try await writer.write(WriteUnit(target: .existing(roomID), intents: [
                    EventIntent(sender: alice, type: "m.room.guest_access", stateKey: "", content: ["guest_access": .string(value)])
                ]))
            }
            func member(_ user: UserID) async throws -> (sender: String?, content: JSONValue?) {
                let state = try await makeRoomReader(store: store, database: database).state(of: roomID, viewer: alice)
                let event = try #require(state.first { $0.type == EventType.member && $0.stateKey == user.rawValue })
                let json = try JSONValue.parse(event.json)
                return (json["sender"]?.stringValue, json["content"])
            }

            await #expect(throws: RoomError.self, "no m.room.guest_access: closed to guests") { try await join(guest, guest: true) }
            _ = try await setGuestAccess("can_join")
            _ = try await join(guest, guest: true)
            _ = try await join(bob, guest: false)
            #expect(try await member(guest).content == ["membership": "join", "kind": "guest"])
            #expect(try await member(bob).content == ["membership": "join"])

            let closing = try await setGuestAccess("forbidden")
            #expect(closing.count == 2, "the guest's leave is written with the event that closed the room")
            let left = try await member(guest)
            #expect(left.sender == guest.rawValue && left.content == ["membership": "leave", "kind": "guest"])
            #expect(try await member(bob).content == ["membership": "join"], "registered users stay")
            await #expect(throws: RoomError.self) { try await join(guest, guest: true) }
            #expect(try await setGuestAccess("shared").count == 1, "no guest left to remove")
        }
    }
}
