import AxonTesting
import MatrixTypes
import RoomStore
import Rooms
@testable import Spaces
import Storage
import Testing

/// The hierarchy walk over rooms held here, on each database engine: what a user may see, the order, pages and
/// their tokens, depth, bounds, and the one-level answer other servers get.
@Suite struct SpaceHierarchyTests {
    static let viewer = try! UserID("@viewer:sp.test")

    /// Redacting a child event removes the child (its `via` is gone), and a redacted name is no longer shown.
    @Test func redactionsRemoveChildrenAndSummaryFields() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let space = try await rooms.room("Space", space: true)
            let kept = try await rooms.room("Kept")
            let removed = try await rooms.room("Removed")
            try await rooms.addChild(kept.rawValue, to: space, ["order": "a"])
            try await rooms.addChild(removed.rawValue, to: space, ["order": "b"])
            let before = try await rooms.hierarchy.hierarchy(of: space, requester: rooms.owner, query: HierarchyQuery())
            #expect(SpaceFixture.roomIDs(before) == [space, kept, removed].map(\.rawValue))

            let state = try #require(try await rooms.store.state(in: space, atStream: Int64.max))
            let childEvent = try #require(state[StateKey(SpaceChild.eventType, removed.rawValue)])
            let keptState = try #require(try await rooms.store.state(in: kept, atStream: Int64.max))
            let nameEvent = try #require(keptState[StateKey("m.room.name", "")])
            for (room, event) in [(space, childEvent), (kept, nameEvent)] {
                _ = try await rooms.writer.write(WriteUnit(target: .existing(room), intents: [
                    EventIntent(sender: rooms.owner, type: EventType.redaction, content: [:], redacts: event),
                ]))
            }
            let after = try await rooms.hierarchy.hierarchy(of: space, requester: rooms.owner, query: HierarchyQuery())
            #expect(SpaceFixture.roomIDs(after) == [space, kept].map(\.rawValue), "\(after)")
            let listed = (after["rooms"]?[0]?["children_state"]?.arrayValue ?? []).compactMap { $0["state_key"]?.stringValue }
            #expect(listed == [kept.rawValue])
            #expect(after["rooms"]?[1]?["name"] == nil, "\(after)")
            #expect(after["rooms"]?[0]?["name"] == "Space")
        }
    }

    @Test func theWalkShowsWhatTheViewerMaySeeInOrder() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let space = try await rooms.room("Space", space: true)
            let lobby = try await rooms.room("Lobby")
            let secret = try await rooms.room("Secret", joinRule: JoinRule.invite)
            let invited = try await rooms.room("Invited", joinRule: JoinRule.invite)
            let members = try await rooms.room("Members only", joinRule: JoinRule.restricted, extra: [])
            let knock = try await rooms.room("Knock", joinRule: JoinRule.knock)
            let open = try await rooms.room("Readable", joinRule: JoinRule.invite, extra: [
                EventIntent(sender: rooms.owner, type: "m.room.history_visibility", stateKey: "", content: ["history_visibility": "world_readable"]),
            ])
            let restricted = try await rooms.room("Restricted", joinRule: JoinRule.restricted, extra: [
                EventIntent(sender: rooms.owner, type: EventType.joinRules, stateKey: "", content: [
                    "join_rule": "restricted", "allow": [["type": "m.room_membership", "room_id": .string(space.rawValue)]],
                ]),
            ])
            try await rooms.invite(Self.viewer, invited)
            try await rooms.join(Self.viewer, space)
            try await rooms.addChild(lobby.rawValue, to: space, ["order": "b"])
            try await rooms.addChild(secret.rawValue, to: space, ["order": "a"])
            try await rooms.addChild(invited.rawValue, to: space, ["order": "c"])
            try await rooms.addChild(knock.rawValue, to: space, ["order": "d"])
            try await rooms.addChild(open.rawValue, to: space, ["order": "e"])
            try await rooms.addChild(restricted.rawValue, to: space, ["order": "f", "suggested": true])
            try await rooms.addChild(members.rawValue, to: space, ["order": "g", "via": []])
            let page = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery())
            #expect(SpaceFixture.roomIDs(page) == [space, lobby, invited, knock, open, restricted].map(\.rawValue), "\(page)")
            #expect(page["next_batch"] == nil)
            let root = try #require(page["rooms"]?[0])
            #expect(root["room_type"] == "m.space" && root["name"] == "Space" && root["num_joined_members"] == 2 && root["join_rule"] == "public")
            #expect(root["room_version"] == "10" && root["world_readable"] == false && root["guest_can_join"] == false)
            // Every valid child event is listed, visible or not; the one without `via` is no child.
            let listed = (root["children_state"]?.arrayValue ?? []).compactMap { $0["state_key"]?.stringValue }
            #expect(listed == [secret, lobby, invited, knock, open, restricted].map(\.rawValue))
            #expect(root["children_state"]?[0]?["origin_server_ts"]?.integerValue != nil)
            #expect(page["rooms"]?[1]?["children_state"] == [], "a room that is not a space has no children")
            #expect(page["rooms"]?[5]?["allowed_room_ids"] == [.string(space.rawValue)])

            let suggested = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery(suggestedOnly: true))
            #expect(SpaceFixture.roomIDs(suggested) == [space, restricted].map(\.rawValue))

            // Someone outside the space sees neither the invite nor the restricted room.
            let stranger = try UserID("@stranger:sp.test")
            let outside = try await rooms.hierarchy.hierarchy(of: space, requester: stranger, query: HierarchyQuery())
            #expect(SpaceFixture.roomIDs(outside) == [space, lobby, knock, open].map(\.rawValue))
        }
    }

    @Test func anInaccessibleOrUnknownRootIsForbidden() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let secret = try await rooms.room("Secret", joinRule: JoinRule.invite, space: true)
            for root in [secret, try RoomID("!nowhere:sp.test"), try RoomID("!elsewhere:far.test")] {
                let error = await #expect(throws: SpacesError.self) {
                    try await rooms.hierarchy.hierarchy(of: root, requester: Self.viewer, query: HierarchyQuery())
                }
                #expect(error?.clientError.status == 403 && error?.clientError.code == .forbidden, "\(root): \(String(describing: error))")
            }
            let owners = try await rooms.hierarchy.hierarchy(of: secret, requester: rooms.owner, query: HierarchyQuery())
            #expect(SpaceFixture.roomIDs(owners) == [secret.rawValue])
        }
    }

    @Test func maxDepthStopsTheWalkAndVisitedRoomsAreShownOnce() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let top = try await rooms.room("Top", space: true)
            let middle = try await rooms.room("Middle", space: true)
            let bottom = try await rooms.room("Bottom")
            try await rooms.addChild(middle.rawValue, to: top)
            try await rooms.addChild(bottom.rawValue, to: middle)
            // A loop back to the top is not followed twice.
            try await rooms.addChild(top.rawValue, to: middle, ["order": "a"])
            func walk(_ depth: Int?) async throws -> [String] {
                SpaceFixture.roomIDs(try await rooms.hierarchy.hierarchy(of: top, requester: Self.viewer, query: HierarchyQuery(maxDepth: depth)))
            }
            #expect(try await walk(0) == [top.rawValue])
            #expect(try await walk(1) == [top, middle].map(\.rawValue))
            #expect(try await walk(nil) == [top, middle, bottom].map(\.rawValue))
        }
    }

    @Test func pagesContinueOnlyTheirOwnWalkForTheirUserUntilTheyExpire() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let space = try await rooms.room("Space", space: true)
            var children: [RoomID] = []
            for index in 0..<3 {
                let child = try await rooms.room("Child \(index)")
                try await rooms.addChild(child.rawValue, to: space, ["order": .string("\(index)")])
                children.append(child)
            }
            var seen: [String] = []
            var from: String?
            var tokens: [String] = []
            repeat {
                let page = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery(limit: 1, from: from))
                #expect((page["rooms"]?.arrayValue ?? []).count == 1)
                seen += SpaceFixture.roomIDs(page)
                from = page["next_batch"]?.stringValue
                if let from { tokens.append(from) }
            } while from != nil && seen.count < 10
            #expect(seen == ([space] + children).map(\.rawValue))
            let token = try #require(tokens.first)
            func refused(_ query: HierarchyQuery, root: RoomID? = nil, user: UserID = Self.viewer) async {
                let error = await #expect(throws: SpacesError.self) {
                    try await rooms.hierarchy.hierarchy(of: root ?? space, requester: user, query: query)
                }
                #expect(error?.clientError.status == 400 && error?.clientError.code == .invalidParameter, "\(String(describing: error))")
            }
            await refused(HierarchyQuery(suggestedOnly: true, limit: 1, from: token))
            await refused(HierarchyQuery(maxDepth: 3, limit: 1, from: token))
            await refused(HierarchyQuery(limit: 1, from: token), root: children[0])
            await refused(HierarchyQuery(limit: 1, from: token), user: rooms.owner)
            await refused(HierarchyQuery(limit: 1, from: "nonsense"))
            // The same token answers the same page again while it lives; then it expires.
            let again = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery(limit: 1, from: token))
            #expect(SpaceFixture.roomIDs(again) == [children[0].rawValue])
            rooms.clock.advance(HierarchySessions.lifetimeMs + 1)
            await refused(HierarchyQuery(limit: 1, from: token))
        }
    }

    @Test func pagesAreClampedAndSessionsBoundedPerUser() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let space = try await rooms.room("Space", space: true)
            for index in 0..<(SpaceHierarchy.maxLimit + 2) {
                let child = try await rooms.room("Child \(index)")
                try await rooms.addChild(child.rawValue, to: space)
            }
            let first = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery(limit: 1_000))
            #expect((first["rooms"]?.arrayValue ?? []).count == SpaceHierarchy.maxLimit)
            let next = try #require(first["next_batch"]?.stringValue)
            let rest = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery(limit: 1_000, from: next))
            #expect((rest["rooms"]?.arrayValue ?? []).count == 3 && rest["next_batch"] == nil)
            for _ in 0..<(HierarchySessions.perUser + 5) {
                _ = try await rooms.hierarchy.hierarchy(of: space, requester: Self.viewer, query: HierarchyQuery(limit: 1))
            }
            let kept = try await database.read { connection in
                try connection.queryOne("SELECT COUNT(*) AS n FROM room_hierarchy_sessions WHERE user_id = ?", [.text(Self.viewer.rawValue)])?
                    .decode("n", as: Int64.self)
            }
            #expect(kept == Int64(HierarchySessions.perUser))
        }
    }

    @Test func otherServersGetOneLevelOfWhatTheyMaySee() async throws {
        try await withEachDatabase { database in
            let rooms = try await SpaceFixture(database: database)
            let origin = try ServerName("far.test")
            let space = try await rooms.room("Space", space: true)
            let lobby = try await rooms.room("Lobby")
            let secret = try await rooms.room("Secret", joinRule: JoinRule.invite)
            let sub = try await rooms.room("Sub", space: true)
            let deep = try await rooms.room("Deep")
            try await rooms.addChild(lobby.rawValue, to: space, ["order": "a"])
            try await rooms.addChild(secret.rawValue, to: space, ["order": "b"])
            try await rooms.addChild(sub.rawValue, to: space, ["order": "c"])
            try await rooms.addChild("!unknown:far.test", to: space, ["order": "d", "via": ["far.test"]])
            try await rooms.addChild(deep.rawValue, to: sub)
            let answer = try await rooms.hierarchy.federationHierarchy(of: space, origin: origin, suggestedOnly: false)
            #expect(answer["room"]?["room_id"]?.stringValue == space.rawValue)
            #expect((answer["room"]?["children_state"]?.arrayValue ?? []).count == 4)
            #expect((answer["children"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue } == [lobby, sub].map(\.rawValue))
            #expect(answer["children"]?[1]?["children_state"] == nil, "children come without their own children")
            #expect(answer["inaccessible_children"] == [.string(secret.rawValue)])
            let denied = try await rooms.hierarchy.federationHierarchy(of: space, origin: origin, suggestedOnly: false) { $0 != lobby }
            #expect(denied["inaccessible_children"] == [.string(lobby.rawValue), .string(secret.rawValue)])
            for room in [secret, try RoomID("!unknown:far.test")] {
                let error = await #expect(throws: SpacesError.self) {
                    try await rooms.hierarchy.federationHierarchy(of: room, origin: origin, suggestedOnly: false)
                }
                #expect(error?.clientError.status == 404 && error?.clientError.code == .notFound, "\(String(describing: error))")
            }
            // A server with a member invited may see the room.
            try await rooms.invite(try UserID("@guest:far.test"), secret)
            let invited = try await rooms.hierarchy.federationHierarchy(of: secret, origin: origin, suggestedOnly: false)
            #expect(invited["room"]?["room_id"]?.stringValue == secret.rawValue)
        }
    }
}
