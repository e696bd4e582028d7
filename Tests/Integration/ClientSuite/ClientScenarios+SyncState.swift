import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The `state` section of `/sync` (Synapse's state delta), lazy-loaded members and the room summary.
extension ClientScenarios {
    static let syncState: [ClientScenario] = [
        ClientScenario(name: "Sync state: a room whose whole history fits in the timeline has none, nor has a linear incremental sync") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom(["preset": "private_chat", "name": "Fits"])
            let wide: JSONValue = ["room": ["timeline": ["limit": 50]]]
            let initial = try await alice.sync(filter: wide)
            #expect(initial.timeline(roomID).contains { $0["type"] == "m.room.create" }, "\(initial)")
            #expect(stateEvents(initial, roomID).isEmpty, "\(stateEvents(initial, roomID))")
            let since = try #require(initial["next_batch"]?.stringValue)
            try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.topic", ["topic": "new"])
            _ = try await alice.send(roomID, "after the topic")
            let next = try await alice.sync(since: since, filter: wide)
            #expect(next.timeline(roomID).count == 2 && stateEvents(next, roomID).isEmpty, "\(next)")
        },
        ClientScenario(name: "Sync state: a gapped sync carries every state change in the gap, members who joined or left included") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let carol = try await context.user()
            let dave = try await context.user()
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            for user in [bob, carol] { try await user.ok("POST", "/rooms/\(room)/join", [:]) }
            let plain: JSONValue = ["room": ["timeline": ["limit": 3]]]
            let lazy: JSONValue = ["room": ["timeline": ["limit": 3], "state": ["lazy_load_members": true]]]
            let alicesSince = try #require(try await alice.sync(filter: plain)["next_batch"]?.stringValue)
            let bobsSince = try #require(try await bob.sync(filter: lazy)["next_batch"]?.stringValue)

            let topic = try await alice.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "gap"])["event_id"]?.stringValue
            let daveJoined = try await dave.ok("POST", "/rooms/\(room)/join", [:])["room_id"] != nil
            try await carol.ok("POST", "/rooms/\(room)/leave", [:])
            for index in 0..<5 { _ = try await alice.send(roomID, "filler \(index)") }
            #expect(daveJoined)

            let gapped = try await alice.sync(since: alicesSince, filter: plain)
            #expect(gapped["rooms"]?["join"]?[roomID]?["timeline"]?["limited"] == true)
            let state = stateEvents(gapped, roomID)
            #expect(state.contains { $0["event_id"]?.stringValue == topic }, "the topic set in the gap: \(state)")
            #expect(membership(in: state, of: dave) == "join" && membership(in: state, of: carol) == "leave", "\(state)")
            #expect(membership(in: state, of: bob) == nil, "bob's membership did not change: \(state)")

            let lazyGapped = try await bob.sync(since: bobsSince, filter: lazy)
            let lazyState = stateEvents(lazyGapped, roomID)
            #expect(lazyState.contains { $0["event_id"]?.stringValue == topic }, "\(lazyState)")
            #expect(
                membership(in: lazyState, of: dave) == "join" && membership(in: lazyState, of: carol) == "leave",
                "lazy loading still carries the members that changed in the gap, the old leave included: \(lazyState)"
            )
        },
        ClientScenario(name: "Sync state: a display-name change is not a new join and brings no full state") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom(["preset": "private_chat", "name": "Renamed member"])
            let since = try #require(try await alice.sync()["next_batch"]?.stringValue)
            try await alice.ok(
                "PUT", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.member/\(SuiteClient.escape(alice.userID))",
                ["membership": "join", "displayname": "boris"]
            )
            _ = try await alice.send(roomID, "a message after the change")
            let next = try await alice.sync(since: since)
            let timeline = next.timeline(roomID)
            #expect(timeline.count == 2 && timeline.first?["content"]?["displayname"] == "boris", "\(timeline)")
            #expect(stateEvents(next, roomID).isEmpty, "\(stateEvents(next, roomID))")
            #expect(next["rooms"]?["join"]?[roomID]?["timeline"]?["limited"] == false)
        },
        ClientScenario(name: "Sync state: a room joined and left within one sync comes with its full state") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let roomID = try await alice.createRoom(["preset": "private_chat", "name": "Brief", "invite": [.string(bob.userID)]])
            let filter: JSONValue = ["room": ["include_leave": true, "timeline": ["limit": 2]]]
            let since = try #require(try await bob.sync(filter: filter)["next_batch"]?.stringValue)
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/join", [:])
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/leave", [:])
            let next = try await bob.sync(since: since, filter: filter)
            let state = stateEvents(next, roomID, section: "leave")
            #expect(state.contains { $0["type"] == "m.room.create" }, "\(state)")
            #expect(state.contains { $0["type"] == "m.room.name" && $0["content"]?["name"] == "Brief" }, "\(state)")
            let timeline = next.timeline(roomID, section: "leave")
            #expect(timeline.last?["content"]?["membership"] == "leave", "\(timeline)")
        },
        ClientScenario(name: "Sync state, lazy loading: members are sent once per device; include_redundant_members sends them again") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let carol = try await context.user()
            let roomID = try await alice.createRoom(["preset": "public_chat", "name": "Chatty"])
            for user in [bob, carol] { try await user.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/join", [:]) }
            for user in [bob, carol] { _ = try await user.send(roomID, "hello") }
            for redundant in [false, true] {
                let filter: JSONValue = [
                    "room": ["timeline": ["limit": 2], "state": ["lazy_load_members": true, "include_redundant_members": .bool(redundant)]],
                ]
                let initial = try await alice.sync(filter: filter)
                let first = stateEvents(initial, roomID)
                #expect(membership(in: first, of: bob) == "join" && membership(in: first, of: carol) == "join", "\(first)")
                let since = try #require(initial["next_batch"]?.stringValue)
                for user in [bob, carol] { _ = try await user.send(roomID, "again") }
                let next = try await alice.sync(since: since, filter: filter)
                #expect(next.timeline(roomID).count == 2, "\(next)")
                let members = stateEvents(next, roomID).filter { $0["type"] == "m.room.member" }
                if redundant {
                    #expect(membership(in: members, of: bob) == "join" && membership(in: members, of: carol) == "join", "\(members)")
                } else {
                    #expect(members.isEmpty, "the device holds both already: \(members)")
                }
            }
        },
        ClientScenario(name: "Sync state, room summary: heroes in join order, left out once the room has a name; counts follow membership") { context in
            let alice = try await context.user()
            let first = try await context.user("zz")
            let second = try await context.user("aa")
            let invitee = try await context.user("mm")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            for user in [first, second] { try await user.ok("POST", "/rooms/\(room)/join", [:]) }
            let lazy: JSONValue = ["room": ["state": ["lazy_load_members": true]]]
            let initial = try await alice.sync(filter: lazy)
            #expect(summary(initial, roomID) == [
                "m.heroes": [.string(first.userID), .string(second.userID)], "m.joined_member_count": 3, "m.invited_member_count": 0,
            ], "ordered by when they joined, not by user ID: \(String(describing: summary(initial, roomID)))")
            var since = try #require(initial["next_batch"]?.stringValue)

            try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(invitee.userID)])
            try await second.ok("POST", "/rooms/\(room)/leave", [:])
            let changed = try await alice.sync(since: since, filter: lazy)
            #expect(summary(changed, roomID) == [
                "m.heroes": [.string(first.userID), .string(invitee.userID)], "m.joined_member_count": 2, "m.invited_member_count": 1,
            ], "\(String(describing: summary(changed, roomID)))")
            since = try #require(changed["next_batch"]?.stringValue)

            try await alice.ok("PUT", "/rooms/\(room)/state/m.room.name", ["name": "Named now"])
            try await first.ok("POST", "/rooms/\(room)/leave", [:])
            let named = try await alice.sync(since: since, filter: lazy)
            #expect(summary(named, roomID) == ["m.joined_member_count": 1, "m.invited_member_count": 1], "\(String(describing: summary(named, roomID)))")

            let aliased = try await alice.createRoom(["preset": "public_chat", "room_alias_name": .string("summary\(UUID().uuidString.prefix(6).lowercased())")])
            try await first.ok("POST", "/rooms/\(SuiteClient.escape(aliased))/join", [:])
            let withAlias = try await alice.sync(filter: lazy)
            #expect(summary(withAlias, aliased)?["m.heroes"] == nil, "a canonical alias names the room: \(String(describing: summary(withAlias, aliased)))")
        },
        ClientScenario(name: "Sync state, room summary: when everyone else left, they are the heroes, and lazy loading sends their members") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/join", [:])
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/leave", [:])
            for index in 0..<3 { _ = try await alice.send(roomID, "alone \(index)") }
            let response = try await alice.sync(filter: ["room": ["timeline": ["limit": 2], "state": ["lazy_load_members": true]]])
            #expect(summary(response, roomID) == [
                "m.heroes": [.string(bob.userID)], "m.joined_member_count": 1, "m.invited_member_count": 0,
            ], "\(String(describing: summary(response, roomID)))")
            let state = stateEvents(response, roomID)
            #expect(membership(in: state, of: bob) == "leave", "the hero's member event names them: \(state)")
            #expect(membership(in: state, of: alice) == "join", "\(state)")
        },
    ]

    static func stateEvents(_ response: JSONValue, _ roomID: String, section: String = "join") -> [JSONValue] {
        response["rooms"]?[section]?[roomID]?["state"]?["events"]?.arrayValue ?? []
    }

    static func membership(in events: [JSONValue], of user: SuiteClient) -> String? {
        events.last { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == user.userID }?["content"]?["membership"]?.stringValue
    }

    static func summary(_ response: JSONValue, _ roomID: String) -> JSONValue? {
        response["rooms"]?["join"]?[roomID]?["summary"]
    }
}
