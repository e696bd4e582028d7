import Foundation
import MatrixTypes
import Testing

/// Edge cases of state, redaction, reading and paging that clients run into.
extension ClientScenarios {
    static let edgeCases: [ClientScenario] = [
        ClientScenario(name: "setting state to the content it already has, by the same sender, answers with the current event") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            try await alice.ok("PUT", "/rooms/\(room)/state/m.room.power_levels", [
                "users": .object([bob.userID: 50]), "state_default": 50,
            ])
            let first = try await alice.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "Same", "extra": ["b": 1, "a": 2]])
            let again = try await alice.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["extra": ["a": 2, "b": 1], "topic": "Same"])
            #expect(first["event_id"] != nil && again["event_id"] == first["event_id"], "\(first) \(again)")
            let byBob = try await bob.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "Same", "extra": ["b": 1, "a": 2]])
            #expect(byBob["event_id"] != first["event_id"], "another sender writes a new event")
            let changed = try await bob.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "Other"])
            #expect(changed["event_id"] != byBob["event_id"], "other content writes a new event")
            let member = try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(alice.userID))")
            let memberAgain = try await alice.ok("PUT", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(alice.userID))", member)
            let page = try await alice.ok("GET", "/rooms/\(room)/messages?dir=b&limit=100")
            let events = page["chunk"]?.arrayValue ?? []
            let topics = events.filter { $0["type"] == "m.room.topic" }
            #expect(topics.count == 3, "\(topics)")
            let aliceMembers = events.filter { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == alice.userID }
            #expect(aliceMembers.count == 1 && aliceMembers.first?["event_id"] == memberAgain["event_id"], "\(aliceMembers)")
        },
        ClientScenario(name: "an event cannot be redacted through another room") { context in
            let alice = try await context.user("alice")
            let first = try await alice.createRoom()
            let second = try await alice.createRoom()
            let eventID = try await alice.send(first, "keep me")
            let escapedEvent = SuiteClient.escape(eventID)
            let refused = try await alice.call("PUT", "/rooms/\(SuiteClient.escape(second))/redact/\(escapedEvent)/r1", ["reason": "x"])
            #expect(refused.status == 400, "\(refused)")
            let event = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(first))/event/\(escapedEvent)")
            #expect(event["content"]?["body"] == "keep me", "\(event)")
        },
        ClientScenario(name: "an event of a room the user may not see is not found") { context in
            let alice = try await context.user("alice")
            let eve = try await context.user("eve")
            let roomID = try await alice.createRoom(["preset": "private_chat"])
            let eventID = try await alice.send(roomID, "private")
            let reply = try await eve.call("GET", "/rooms/\(SuiteClient.escape(roomID))/event/\(SuiteClient.escape(eventID))")
            #expect(reply.status == 404 && reply.errcode == "M_NOT_FOUND", "\(reply)")
        },
        ClientScenario(name: "/messages leaves out end only when the page is empty and nothing lies beyond it") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom([
                "preset": "public_chat",
                "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "joined"]]],
            ])
            let room = SuiteClient.escape(roomID)
            for index in 0..<4 { _ = try await alice.send(roomID, "before bob \(index)") }
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let all = try await alice.ok("GET", "/rooms/\(room)/messages?dir=b&limit=100")
            #expect(all["chunk"]?.arrayValue?.isEmpty == false && all["end"]?.stringValue != nil, "a short page still has end: \(all)")
            let beyond = try await alice.ok("GET", "/rooms/\(room)/messages?dir=b&limit=100&from=\(SuiteClient.escape(all["end"]?.stringValue ?? ""))")
            #expect(beyond["chunk"] == [] && beyond["end"] == nil, "\(beyond)")
            let join = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=1")
            #expect(join["chunk"]?[0]?["type"] == "m.room.member", "\(join)")
            let from = SuiteClient.escape(join["end"]?.stringValue ?? "")
            let hidden = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=3&from=\(from)")
            #expect(hidden["chunk"] == [], "\(hidden)")
            #expect(hidden["end"]?.stringValue != nil, "a page emptied by history visibility keeps end: \(hidden)")
        },
        ClientScenario(name: "canonical aliases must point to the room; those with the power delete others' aliases") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let carol = try await context.user("carol")
            func alias(_ name: String) -> String { "#\(name)\(UUID().uuidString.prefix(6).lowercased()):\(context.serverName)" }
            let main = alias("main")
            let roomID = try await alice.createRoom(["preset": "public_chat", "room_alias_name": .string(String(main.dropFirst().prefix { $0 != ":" }))])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            try await carol.ok("POST", "/rooms/\(room)/join", [:])
            let bobs = alias("bob")
            let carols = alias("carol")
            try await bob.ok("PUT", "/directory/room/\(SuiteClient.escape(bobs))", ["room_id": .string(roomID)])
            try await carol.ok("PUT", "/directory/room/\(SuiteClient.escape(carols))", ["room_id": .string(roomID)])
            let elsewhere = alias("elsewhere")
            let other = try await alice.createRoom()
            try await alice.ok("PUT", "/directory/room/\(SuiteClient.escape(elsewhere))", ["room_id": .string(other)])

            let canonical = "/rooms/\(room)/state/m.room.canonical_alias"
            let missing = try await alice.call("PUT", canonical, ["alias": .string(alias("missing"))])
            #expect(missing.status == 400 && missing.errcode == "M_BAD_ALIAS", "\(missing)")
            let wrongAlt = try await alice.call("PUT", canonical, ["alias": .string(main), "alt_aliases": [.string(elsewhere)]])
            #expect(wrongAlt.status == 400 && wrongAlt.errcode == "M_BAD_ALIAS", "\(wrongAlt)")
            try await alice.ok("PUT", canonical, ["alias": .string(main), "alt_aliases": [.string(bobs)]])

            let notAllowed = try await carol.call("DELETE", "/directory/room/\(SuiteClient.escape(bobs))")
            #expect(notAllowed.status == 403 && notAllowed.errcode == "M_FORBIDDEN", "\(notAllowed)")
            try await alice.ok("DELETE", "/directory/room/\(SuiteClient.escape(carols))")
            try await alice.ok("DELETE", "/directory/room/\(SuiteClient.escape(bobs))")
            try await alice.ok("DELETE", "/directory/room/\(SuiteClient.escape(main))")
            for gone in [carols, bobs, main] {
                let resolved = try await alice.call("GET", "/directory/room/\(SuiteClient.escape(gone))")
                #expect(resolved.status == 404, "\(gone): \(resolved)")
            }
            let after = try await alice.ok("GET", canonical)
            #expect(after == [:], "deleted aliases leave the canonical alias event: \(after)")
        },
        ClientScenario(name: "publicRooms entries carry the room's summary keys, and server naming us lists our rooms") { context in
            let alice = try await context.user("alice")
            let name = "Summary \(UUID().uuidString.prefix(8))"
            let aliasName = "summary\(UUID().uuidString.prefix(6).lowercased())"
            let roomID = try await alice.createRoom([
                "preset": "public_chat", "visibility": "public", "name": .string(name), "topic": "About it",
                "room_alias_name": .string(aliasName), "creation_content": ["type": "org.example.kind"],
                "initial_state": [
                    ["type": "m.room.avatar", "state_key": "", "content": ["url": "mxc://example.org/avatar"]],
                    ["type": "m.room.guest_access", "state_key": "", "content": ["guest_access": "can_join"]],
                    ["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "world_readable"]],
                ],
            ])
            let server = SuiteClient.escape(context.serverName)
            let search = try await alice.ok("POST", "/publicRooms?server=\(server)", ["filter": ["generic_search_term": .string(name)]])
            let chunk = search["chunk"]?.arrayValue ?? []
            #expect(chunk.count == 1, "\(search)")
            let entry = chunk.first ?? [:]
            #expect(entry["room_id"]?.stringValue == roomID && entry["name"]?.stringValue == name, "\(entry)")
            #expect(entry["topic"] == "About it" && entry["avatar_url"] == "mxc://example.org/avatar", "\(entry)")
            #expect(entry["canonical_alias"]?.stringValue == "#\(aliasName):\(context.serverName)", "\(entry)")
            #expect(entry["guest_can_join"] == true && entry["world_readable"] == true, "\(entry)")
            #expect(entry["join_rule"] == "public" && entry["room_type"] == "org.example.kind", "\(entry)")
            let byTopic = try await alice.ok("POST", "/publicRooms", ["filter": ["generic_search_term": "ABOUT IT"], "limit": 100])
            #expect((byTopic["chunk"]?.arrayValue ?? []).contains { $0["room_id"]?.stringValue == roomID }, "the search ignores case")
            let plain = try await alice.call("GET", "/publicRooms?server=\(server)&limit=1")
            #expect(plain.status == 200 && plain.json["chunk"]?.arrayValue?.count == 1, "\(plain)")
        },
    ]
}
