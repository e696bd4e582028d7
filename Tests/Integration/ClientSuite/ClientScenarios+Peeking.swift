import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Reading a room without joining it: only `world_readable` rooms, and of them only what was written while they were.
extension ClientScenarios {
    static let peeking: [ClientScenario] = [
        ClientScenario(name: "peeking into a world_readable room reads state, members, messages, event, initialSync and events") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom([
                "preset": "public_chat", "name": "Open book",
                "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "world_readable"]]],
            ])
            let room = SuiteClient.escape(roomID)
            let said = try await alice.send(roomID, "for everyone")
            let state = try await bob.ok("GET", "/rooms/\(room)/state")
            #expect((state.arrayValue ?? []).contains { $0["type"] == "m.room.create" }, "\(state)")
            let name = try await bob.ok("GET", "/rooms/\(room)/state/m.room.name")
            #expect(name["name"] == "Open book", "\(name)")
            let members = try await bob.ok("GET", "/rooms/\(room)/members")
            #expect((members["chunk"]?.arrayValue ?? []).map { $0["state_key"]?.stringValue } == [alice.userID], "\(members)")
            let page = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            #expect((page["chunk"]?.arrayValue ?? []).contains { $0["event_id"]?.stringValue == said }, "\(page)")
            let event = try await bob.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(said))")
            #expect(event["content"]?["body"] == "for everyone", "\(event)")
            let snapshot = try await bob.ok("GET", "/rooms/\(room)/initialSync?limit=5")
            #expect(snapshot["room_id"]?.stringValue == roomID && snapshot["membership"] == nil, "a peeker has no membership: \(snapshot)")
            #expect((snapshot["messages"]?["chunk"]?.arrayValue ?? []).contains { $0["event_id"]?.stringValue == said }, "\(snapshot)")
            #expect((snapshot["state"]?.arrayValue ?? []).contains { $0["type"] == "m.room.name" }, "\(snapshot)")
            let start = try await bob.ok("GET", "/events?room_id=\(room)&timeout=0")
            let from = try #require(start["end"]?.stringValue, "\(start)")
            let later = try await alice.send(roomID, "as it happens")
            let stream = try await bob.ok("GET", "/events?room_id=\(room)&timeout=5000&from=\(SuiteClient.escape(from))")
            let streamed = (stream["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }
            #expect(streamed.map { $0["event_id"]?.stringValue } == [later], "\(stream)")
            #expect(streamed.first?["room_id"]?.stringValue == roomID, "\(stream)")
            let stillOut = try await alice.ok("GET", "/rooms/\(room)/joined_members")
            #expect(stillOut["joined"]?[bob.userID] == nil, "peeking joins nobody")
            // Reading is not membership: what needs a member stays refused.
            let typing = try await bob.call("PUT", "/rooms/\(room)/typing/\(SuiteClient.escape(bob.userID))", ["typing": true, "timeout": 1000])
            #expect(typing.status == 403, "\(typing)")
            let alias = "#peek\(UUID().uuidString.prefix(6).lowercased()):\(context.serverName)"
            let aliased = try await bob.call("PUT", "/directory/room/\(SuiteClient.escape(alias))", ["room_id": .string(roomID)])
            #expect(aliased.status == 403, "\(aliased)")
            let published = try await bob.call("PUT", "/directory/list/room/\(room)", ["visibility": "public"])
            #expect(published.status == 403, "\(published)")
        },
        ClientScenario(name: "peekers see only what was written while the room was world_readable") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            func setVisibility(_ value: String) async throws {
                try await alice.ok("PUT", "/rooms/\(room)/state/m.room.history_visibility", ["history_visibility": .string(value)])
            }
            let shared = try await alice.send(roomID, "shared with members")
            try await setVisibility("world_readable")
            let open = try await alice.send(roomID, "open to the world")
            let page = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let ids = (page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(ids.contains(open) && !ids.contains(shared), "\(page)")
            let hidden = try await bob.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(shared))")
            #expect(hidden.status == 404 && hidden.errcode == "M_NOT_FOUND", "\(hidden)")
            let snapshot = try await bob.ok("GET", "/rooms/\(room)/initialSync?limit=50")
            let snapshotIDs = (snapshot["messages"]?["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(snapshotIDs.contains(open) && !snapshotIDs.contains(shared), "\(snapshot)")

            // Closed again: peeking stops, though an event written while open stays readable by its ID.
            try await setVisibility("shared")
            let closed = try await bob.call("GET", "/rooms/\(room)/messages?dir=b")
            #expect(closed.status == 403 && closed.errcode == "M_FORBIDDEN", "\(closed)")
            let stillOpen = try await bob.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(open))")
            #expect(stillOpen.status == 200, "\(stillOpen)")
            let nowHidden = try await bob.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(shared))")
            #expect(nowHidden.status == 404, "\(nowHidden)")
        },
        ClientScenario(name: "rooms with shared, invited or joined history visibility cannot be peeked") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            for visibility in ["shared", "invited", "joined"] {
                let roomID = try await alice.createRoom([
                    "preset": "public_chat",
                    "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": .string(visibility)]]],
                ])
                let room = SuiteClient.escape(roomID)
                let said = try await alice.send(roomID, "members only")
                for path in [
                    "/rooms/\(room)/state", "/rooms/\(room)/state/m.room.create", "/rooms/\(room)/members", "/rooms/\(room)/messages?dir=b",
                    "/rooms/\(room)/initialSync", "/events?room_id=\(room)&timeout=0",
                ] {
                    let reply = try await bob.call("GET", path)
                    #expect(reply.status == 403 && reply.errcode == "M_FORBIDDEN", "\(visibility) \(path): \(reply)")
                }
                let event = try await bob.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(said))")
                #expect(event.status == 404 && event.errcode == "M_NOT_FOUND", "\(visibility): \(event)")
            }
        },
        ClientScenario(name: "an invitee peeks into a world_readable room as anyone may, and cannot into a shared one") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            for (visibility, readable) in [("world_readable", true), ("shared", false)] {
                let roomID = try await alice.createRoom([
                    "preset": "private_chat",
                    "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": .string(visibility)]]],
                ])
                let room = SuiteClient.escape(roomID)
                _ = try await alice.send(roomID, "before the invite")
                try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(bob.userID)])
                let page = try await bob.call("GET", "/rooms/\(room)/messages?dir=b&limit=50")
                #expect(page.status == (readable ? 200 : 403), "\(visibility): \(page)")
                let bodies = (page.json["chunk"]?.arrayValue ?? []).compactMap { $0["content"]?["body"]?.stringValue }
                #expect(bodies.contains("before the invite") == readable, "\(visibility): \(page)")
            }
        },
        ClientScenario(name: "a guest peeks into a world_readable room, one room at a time, and not into a shared one") { context in
            let alice = try await context.user("alice")
            let guest = try await SuiteClient.registerGuest(context)
            let roomID = try await alice.createRoom([
                "preset": "public_chat",
                "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "world_readable"]]],
            ])
            let room = SuiteClient.escape(roomID)
            let said = try await alice.send(roomID, "guests welcome to read")
            let page = try await guest.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            #expect((page["chunk"]?.arrayValue ?? []).contains { $0["event_id"]?.stringValue == said }, "\(page)")
            let snapshot = try await guest.ok("GET", "/rooms/\(room)/initialSync")
            #expect((snapshot["messages"]?["chunk"]?.arrayValue ?? []).contains { $0["event_id"]?.stringValue == said }, "\(snapshot)")
            let stream = try await guest.call("GET", "/events?room_id=\(room)&timeout=0")
            #expect(stream.status == 200 && stream.json["end"]?.stringValue != nil, "\(stream)")
            let everything = try await guest.call("GET", "/events?timeout=0")
            #expect(everything.status == 400, "a guest names the room it streams: \(everything)")
            let whole = try await guest.call("GET", "/initialSync")
            #expect(whole.status == 403 && whole.errcode == "M_GUEST_ACCESS_FORBIDDEN", "\(whole)")
            let closedID = try await alice.createRoom(["preset": "public_chat"])
            let closed = try await guest.call("GET", "/rooms/\(SuiteClient.escape(closedID))/messages?dir=b")
            #expect(closed.status == 403 && closed.errcode == "M_FORBIDDEN", "\(closed)")
        },
    ]
}
