import AxonTesting
import MatrixTypes
import RoomStore
import Testing

/// What `/sync` names rooms and checks timelines against: member counts, the first members in Synapse's order,
/// and the last event at a stream position.
@Suite struct MemberSummaryTests {
    @Test func firstMembersAreJoinedThenInvitedThenLeftEachByTheirCurrentEvent() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let (zed, amy, carol, dave) = (try room.user("zed"), try room.user("amy"), try room.user("carol"), try room.user("dave"))
            func member(_ name: String, _ user: UserID, _ membership: String, depth: Int64, prev: String) throws -> NewEvent {
                try room.stateEvent(name, type: "m.room.member", stateKey: user.rawValue, sender: user, depth: depth, prev: prev, membership: membership)
            }
            let streams = try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try member("creator-join", room.creator, "join", depth: 2, prev: "create"),
                try member("dave-join", dave, "join", depth: 3, prev: "creator-join"),
                try member("zed-join", zed, "join", depth: 4, prev: "dave-join"),
                try member("carol-invite", carol, "invite", depth: 5, prev: "zed-join"),
                try member("amy-join", amy, "join", depth: 6, prev: "carol-invite"),
                try member("dave-leave", dave, "leave", depth: 7, prev: "amy-join"),
                try member("zed-rename", zed, "join", depth: 8, prev: "dave-leave"),
            ])
            let summary = try await store.memberSummary(of: room.roomID)
            #expect(summary.joinedCount == 3 && summary.invitedCount == 1)
            #expect(summary.first.map(\.userID) == [room.creator, amy, zed, carol, dave], "zed's rename moves him after amy")
            #expect(summary.first.map(\.membership) == ["join", "join", "join", "invite", "leave"])
            #expect(summary.first.first { $0.userID == zed }?.eventID == (try room.id("zed-rename")))

            #expect(try await store.lastEventID(in: room.roomID, upTo: streams[4]) == (try room.id("carol-invite")))
            #expect(try await store.lastEventID(in: room.roomID, upTo: streams[0] - 1) == nil)
        }
    }

    @Test func firstMembersAreBounded() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            var events = [try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil)]
            for index in 0..<10 {
                let user = try room.user("u\(index)")
                events.append(try room.stateEvent(
                    "join\(index)", type: "m.room.member", stateKey: user.rawValue, sender: user, depth: Int64(index + 2),
                    prev: index == 0 ? "create" : "join\(index - 1)", membership: "join"
                ))
            }
            _ = try await store.persist(events)
            let summary = try await store.memberSummary(of: room.roomID)
            #expect(summary.joinedCount == 10 && summary.first.count == MemberSummary.candidates)
            #expect(summary.first.map(\.userID) == (try (0..<6).map { try room.user("u\($0)") }))
        }
    }
}
