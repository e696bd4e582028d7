import AxonTesting
import MatrixTypes
import RoomStore
import Testing

@Suite struct RoomMembershipTests {
    @Test func currentMembershipFollowsEffectiveMemberEvents() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let (alice, bob, carol) = (try room.user("alice"), try room.user("bob"), try room.user("carol"))
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.stateEvent("a-join", type: "m.room.member", stateKey: alice.rawValue, depth: 2, prev: "create", membership: "join"),
                try room.stateEvent("b-invite", type: "m.room.member", stateKey: bob.rawValue, depth: 3, prev: "a-join", membership: "invite"),
                try room.stateEvent("c-join", type: "m.room.member", stateKey: carol.rawValue, depth: 4, prev: "b-invite", membership: "join"),
                try room.stateEvent("c-leave", type: "m.room.member", stateKey: carol.rawValue, depth: 5, prev: "c-join", membership: "leave"),
                try room.event(
                    "b-ban", type: "m.room.member", stateKey: bob.rawValue, depth: 6, prev: ["c-leave"],
                    stateAfter: .sameAs(try room.id("c-leave")), membership: "ban", rejectedReason: "auth_error"
                ),
            ])
            #expect(try await store.membership(of: alice, in: room.roomID) == "join")
            #expect(try await store.membership(of: bob, in: room.roomID) == "invite")
            #expect(try await store.membership(of: carol, in: room.roomID) == "leave")
            #expect(try await store.membership(of: try room.user("dave"), in: room.roomID) == nil)
            #expect(try await store.members(of: room.roomID, membership: "join") == [alice])
            #expect(try await store.rooms(of: bob, membership: "invite") == [room.roomID])
            #expect(try await store.rooms(of: carol, membership: "join").isEmpty)
        }
    }

    /// Whether a server is in a room: one of its users joined, its name compared exactly after the user ID's colon.
    @Test func aServerIsInTheRoomWhenOneOfItsUsersIsJoined() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let alice = try room.user("alice")
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.stateEvent("a-join", type: "m.room.member", stateKey: alice.rawValue, depth: 2, prev: "create", membership: "join"),
                try room.stateEvent("b-join", type: "m.room.member", stateKey: "@bob:b.test:8448", depth: 3, prev: "a-join", membership: "join"),
                try room.stateEvent("c-invite", type: "m.room.member", stateKey: "@carol:c.test", depth: 4, prev: "b-join", membership: "invite"),
            ])
            for (server, joined) in [("test", true), ("b.test:8448", true), ("b.test", false), ("c.test", false), ("st", false), ("TEST", false)] {
                #expect(try await store.hasJoinedMember(of: try ServerName(server), in: room.roomID) == joined, "\(server)")
            }
            #expect(try await store.hasJoinedMember(of: try ServerName("test"), in: try RoomID("!unknown:test")) == false)
        }
    }
}
