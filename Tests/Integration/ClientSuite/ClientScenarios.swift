import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The scenarios of the client suite; each registers its own users so they never interfere.
enum ClientScenarios {
    static let all: [ClientScenario] = rooms + membership + state + history + sync + userData + legacy + edgeCases + presence + openIDAndErasure + syncFilters + syncState + peeking + guests + spaces
        + encryption + keyBackup + voip + media

    static let rooms: [ClientScenario] = [
        ClientScenario(name: "createRoom with name, topic and alias, then resolve and join by alias") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let alias = "lobby\(UUID().uuidString.prefix(6).lowercased())"
            let roomID = try await alice.createRoom(["name": "Lobby", "topic": "Hi", "room_alias_name": .string(alias), "preset": "public_chat"])
            let fullAlias = "#\(alias):\(context.serverName)"
            let resolved = try await bob.ok("GET", "/directory/room/\(SuiteClient.escape(fullAlias))")
            #expect(resolved["room_id"]?.stringValue == roomID)
            let joined = try await bob.ok("POST", "/join/\(SuiteClient.escape(fullAlias))", [:])
            #expect(joined["room_id"]?.stringValue == roomID)
            let name = try await bob.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.name")
            #expect(name["name"] == "Lobby")
            let canonical = try await bob.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.canonical_alias")
            #expect(canonical["alias"]?.stringValue == fullAlias)
            let taken = try await bob.call("POST", "/createRoom", ["room_alias_name": .string(alias)])
            #expect(taken.status == 400 && taken.errcode == "M_ROOM_IN_USE", "\(taken)")
            let missing = try await bob.call("GET", "/directory/room/\(SuiteClient.escape("#nothing-here:\(context.serverName)"))")
            #expect(missing.status == 404 && missing.errcode == "M_NOT_FOUND", "\(missing)")
        },
        ClientScenario(name: "createRoom refuses an unknown room version and wrong field types") { context in
            let alice = try await context.user()
            let version = try await alice.call("POST", "/createRoom", ["room_version": "no-such-version"])
            #expect(version.status == 400 && version.errcode == "M_UNSUPPORTED_ROOM_VERSION", "\(version)")
            let invite = try await alice.call("POST", "/createRoom", ["invite": "not-a-list"])
            #expect(invite.status == 400, "\(invite)")
            let rooms = try await alice.ok("GET", "/joined_rooms")
            #expect(rooms["joined_rooms"] == [], "a refused createRoom creates nothing")
        },
        ClientScenario(name: "power_level_content_override and presets shape the initial state") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom(["preset": "private_chat", "power_level_content_override": ["events_default": 20]])
            let levels = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.power_levels")
            #expect(levels["events_default"] == 20)
            #expect(levels["state_default"] == 50)
            let rules = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.join_rules")
            #expect(rules["join_rule"] == "invite")
            let guest = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.guest_access")
            #expect(guest["guest_access"] == "can_join")
        },
        ClientScenario(name: "room_list_publication_rules refuse publishing, and the room is still created") { context in
            let denied = try await context.user("denied")
            let roomID = try await denied.createRoom(["preset": "public_chat", "visibility": "public"])
            let listed = try await denied.ok("GET", "/directory/list/room/\(SuiteClient.escape(roomID))")
            #expect(listed["visibility"] == "private", "the suite's rules deny users named @denied*")
            let publish = try await denied.call("PUT", "/directory/list/room/\(SuiteClient.escape(roomID))", ["visibility": "public"])
            #expect(publish.status == 403 && publish.errcode != nil, "\(publish)")
        },
        ClientScenario(name: "v12: trusted_private_chat invitees become creators, and creators get no power level") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom([
                "room_version": "12", "preset": "trusted_private_chat", "invite": [.string(bob.userID)],
            ])
            let room = SuiteClient.escape(roomID)
            let create = try await alice.ok("GET", "/rooms/\(room)/state/m.room.create")
            #expect(create["additional_creators"] == [.string(bob.userID)], "\(create)")
            let levels = try await alice.ok("GET", "/rooms/\(room)/state/m.room.power_levels")
            #expect(levels["users"]?[alice.userID] == nil && levels["users"]?[bob.userID] == nil, "\(levels)")
            #expect(levels["events"]?["m.room.tombstone"] == 150)
            let clash = try await alice.call("POST", "/createRoom", [
                "room_version": "12", "power_level_content_override": ["users": .object([alice.userID: 100])],
            ])
            #expect(clash.status == 400 && clash.errcode != nil, "\(clash)")
        },
        ClientScenario(
            name: "a refused createRoom leaves its alias free",
            axonOnly: "Synapse 1.163 keeps the alias of a createRoom whose initial state it then refuses"
        ) { context in
            let alice = try await context.user()
            let alias = "clash\(UUID().uuidString.prefix(6).lowercased())"
            let clash = try await alice.call("POST", "/createRoom", [
                "room_version": "12", "power_level_content_override": ["users": .object([alice.userID: 100])],
                "room_alias_name": .string(alias),
            ])
            #expect(clash.status == 400, "\(clash)")
            let retry = try await alice.call("POST", "/createRoom", ["room_version": "12", "room_alias_name": .string(alias)])
            #expect(retry.status == 200, "\(retry)")
        },
        ClientScenario(name: "a public room is listed in publicRooms") { context in
            let alice = try await context.user()
            let name = "Public \(UUID().uuidString.prefix(6))"
            let roomID = try await alice.createRoom(["preset": "public_chat", "visibility": "public", "name": .string(name)])
            let listed = try await alice.ok("GET", "/directory/list/room/\(SuiteClient.escape(roomID))")
            #expect(listed["visibility"] == "public")
            let search = try await alice.ok("POST", "/publicRooms", ["filter": ["generic_search_term": .string(name)]])
            let chunk = search["chunk"]?.arrayValue ?? []
            #expect(chunk.count == 1 && chunk.first?["room_id"]?.stringValue == roomID, "\(search)")
            #expect(chunk.first?["num_joined_members"] == 1)
        },
    ]

    static let membership: [ClientScenario] = [
        ClientScenario(name: "invite, join, kick, ban and unban follow the auth rules") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let carol = try await context.user("carol")
            let roomID = try await alice.createRoom(["preset": "private_chat"])
            let room = SuiteClient.escape(roomID)
            let uninvited = try await bob.call("POST", "/rooms/\(room)/join", [:])
            #expect(uninvited.status == 403 && uninvited.errcode == "M_FORBIDDEN", "\(uninvited)")
            try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(bob.userID)])
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let notAllowed = try await bob.call("POST", "/rooms/\(room)/kick", ["user_id": .string(alice.userID)])
            #expect(notAllowed.status == 403 && notAllowed.errcode == "M_FORBIDDEN", "\(notAllowed)")
            try await alice.ok("POST", "/rooms/\(room)/kick", ["user_id": .string(bob.userID), "reason": "test"])
            let afterKick = try await bob.call("PUT", "/rooms/\(room)/send/m.room.message/t1", ["msgtype": "m.text", "body": "hi"])
            #expect(afterKick.status == 403 && afterKick.errcode == "M_FORBIDDEN", "\(afterKick)")
            try await alice.ok("POST", "/rooms/\(room)/ban", ["user_id": .string(carol.userID)])
            try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(bob.userID)])
            let bannedInvite = try await alice.call("POST", "/rooms/\(room)/invite", ["user_id": .string(carol.userID)])
            #expect(bannedInvite.status == 403, "\(bannedInvite)")
            try await alice.ok("POST", "/rooms/\(room)/unban", ["user_id": .string(carol.userID)])
            let members = try await alice.ok("GET", "/rooms/\(room)/members")
            let memberships = Dictionary(
                (members["chunk"]?.arrayValue ?? []).compactMap { event in
                    event["state_key"]?.stringValue.map { ($0, event["content"]?["membership"]?.stringValue ?? "") }
                },
                uniquingKeysWith: { $1 }
            )
            #expect(memberships == [alice.userID: "join", bob.userID: "invite", carol.userID: "leave"], "\(memberships)")
            let joined = try await alice.ok("GET", "/rooms/\(room)/joined_members")
            #expect(joined["joined"]?.objectValue?.keys.sorted() == [alice.userID])
        },
        ClientScenario(name: "knocking on a knock room, then being let in") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom([
                "preset": "private_chat", "initial_state": [["type": "m.room.join_rules", "state_key": "", "content": ["join_rule": "knock"]]],
            ])
            let room = SuiteClient.escape(roomID)
            let knocked = try await bob.ok("POST", "/knock/\(room)", ["reason": "let me in"])
            #expect(knocked["room_id"]?.stringValue == roomID)
            let member = try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(bob.userID))")
            #expect(member["membership"] == "knock")
            // The knocker's sync lists the room under `knock`, with its stripped state and the knock itself.
            let knockState = try await bob.ok("GET", "/sync?timeout=0")["rooms"]?["knock"]?[roomID]?["knock_state"]?["events"]?.arrayValue ?? []
            #expect(knockState.contains { $0["type"] == "m.room.join_rules" && $0["content"]?["join_rule"] == "knock" }, "\(knockState)")
            #expect(
                knockState.contains { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == bob.userID && $0["content"]?["membership"] == "knock" },
                "\(knockState)"
            )
            try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(bob.userID)])
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let closed = try await alice.createRoom(["preset": "private_chat"])
            let refused = try await bob.call("POST", "/knock/\(SuiteClient.escape(closed))", [:])
            #expect(refused.status == 403 && refused.errcode == "M_FORBIDDEN", "\(refused)")
        },
        ClientScenario(name: "a joined room cannot be forgotten; a left one can") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let joined = try await bob.call("POST", "/rooms/\(room)/forget", [:])
            #expect(joined.status == 400, "\(joined)")
            try await bob.ok("POST", "/rooms/\(room)/leave", [:])
            try await bob.ok("POST", "/rooms/\(room)/forget", [:])
        },
        ClientScenario(
            name: "a forgotten room leaves sync and its history is closed",
            axonOnly: "Synapse 1.163 still lists a just-forgotten room in an initial sync with include_leave"
        ) { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            try await bob.ok("POST", "/rooms/\(room)/leave", [:])
            let withLeave: JSONValue = ["room": ["include_leave": true]]
            let before = try await bob.sync(filter: withLeave)
            #expect(before["rooms"]?["leave"]?[roomID] != nil, "a left room shows with include_leave")
            try await bob.ok("POST", "/rooms/\(room)/forget", [:])
            let after = try await bob.sync(filter: withLeave)
            #expect(after["rooms"]?["leave"]?[roomID] == nil, "a forgotten room does not")
            let history = try await bob.call("GET", "/rooms/\(room)/messages?dir=b")
            #expect(history.status == 403, "\(history)")
        },
        ClientScenario(name: "a non-member cannot read or write a room") { context in
            let alice = try await context.user()
            let eve = try await context.user("eve")
            let roomID = try await alice.createRoom()
            let room = SuiteClient.escape(roomID)
            for (method, path, body) in [
                ("GET", "/rooms/\(room)/messages?dir=b", nil), ("GET", "/rooms/\(room)/state", nil),
                ("GET", "/rooms/\(room)/members", nil), ("PUT", "/rooms/\(room)/send/m.room.message/x", ["body": "x"] as JSONValue?),
                ("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "x"]),
            ] {
                let reply = try await eve.call(method, path, body)
                #expect(reply.status == 403 && reply.errcode == "M_FORBIDDEN", "\(method) \(path): \(reply)")
            }
        },
        ClientScenario(
            name: "someone who never joined sees no history after rejecting an invite",
            axonOnly: "Synapse 1.163 shows `shared` history to any non-peeking user with a leave; the spec's history visibility rules allow it only to users who joined"
        ) { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "private_chat"])
            let room = SuiteClient.escape(roomID)
            _ = try await alice.send(roomID, "secret before the invite")
            try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(bob.userID)])
            try await bob.ok("POST", "/rooms/\(room)/leave", [:])
            let history = try await bob.call("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let leaked = (history.json["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }
            #expect(history.status == 403 && leaked.isEmpty, "\(history)")
        },
        ClientScenario(name: "unban needs a ban and kick needs a member") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let unban = try await alice.call("POST", "/rooms/\(room)/unban", ["user_id": .string(bob.userID)])
            #expect(unban.status == 403, "\(unban)")
            let stillJoined = try await alice.ok("GET", "/rooms/\(room)/joined_members")
            #expect(stillJoined["joined"]?[bob.userID] != nil, "a refused unban kicks nobody")
            try await alice.ok("POST", "/rooms/\(room)/ban", ["user_id": .string(bob.userID)])
            let kick = try await alice.call("POST", "/rooms/\(room)/kick", ["user_id": .string(bob.userID)])
            #expect(kick.status == 403, "\(kick)")
            let member = try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(bob.userID))")
            #expect(member["membership"] == "ban", "a refused kick unbans nobody")
        },
        ClientScenario(name: "history_visibility joined hides what was said before the join") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom([
                "preset": "public_chat",
                "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "joined"]]],
            ])
            let room = SuiteClient.escape(roomID)
            let before = try await alice.send(roomID, "before bob")
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let after = try await alice.send(roomID, "after bob")
            let page = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let ids = (page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(ids.contains(after))
            #expect(!ids.contains(before), "\(page)")
            let hidden = try await bob.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(before))")
            #expect(hidden.status == 404, "\(hidden)")
            let sync = try await bob.sync(filter: ["room": ["timeline": ["limit": 50]]])
            let timeline = sync.timeline(roomID).compactMap { $0["event_id"]?.stringValue }
            #expect(timeline.contains(after) && !timeline.contains(before), "\(timeline)")
        },
        ClientScenario(name: "history visibility applies per event: each setting hides only what was written under it") { context in
            // joined → shared → joined → shared: a later joiner reads the shared stretches only, through
            // /messages, /event, /context and the timeline of their first sync.
            let alice = try await context.user("alice")
            let carol = try await context.user("carol")
            let roomID = try await alice.createRoom([
                "preset": "public_chat",
                "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "joined"]]],
            ])
            let room = SuiteClient.escape(roomID)
            func setVisibility(_ value: String) async throws {
                try await alice.ok("PUT", "/rooms/\(room)/state/m.room.history_visibility", ["history_visibility": .string(value)])
            }
            let joined1 = try await alice.send(roomID, "joined 1")
            try await setVisibility("shared")
            let shared1 = try await alice.send(roomID, "shared 1")
            try await setVisibility("joined")
            let joined2 = try await alice.send(roomID, "joined 2")
            try await setVisibility("shared")
            let shared2 = try await alice.send(roomID, "shared 2")
            try await carol.ok("POST", "/rooms/\(room)/join", [:])
            let page = try await carol.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let ids = Set((page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue })
            #expect(ids.isSuperset(of: [shared1, shared2]), "\(page)")
            #expect(ids.isDisjoint(with: [joined1, joined2]), "\(page)")
            for (eventID, visible) in [(joined1, false), (shared1, true), (joined2, false), (shared2, true)] {
                let single = try await carol.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(eventID))")
                #expect(single.status == (visible ? 200 : 404), "\(eventID): \(single)")
                // Synapse answers /context on a hidden event with 403, /event with 404.
                let around = try await carol.call("GET", "/rooms/\(room)/context/\(SuiteClient.escape(eventID))?limit=2")
                #expect(around.status == (visible ? 200 : 403), "\(eventID): \(around)")
            }
            let sync = try await carol.sync(filter: ["room": ["timeline": ["limit": 50]]])
            let timeline = Set(sync.timeline(roomID).compactMap { $0["event_id"]?.stringValue })
            #expect(timeline.isSuperset(of: [shared1, shared2]) && timeline.isDisjoint(with: [joined1, joined2]), "\(timeline)")
        },
        ClientScenario(name: "history visibility invited shows what was written while invited, not before") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom([
                "preset": "public_chat",
                "initial_state": [["type": "m.room.history_visibility", "state_key": "", "content": ["history_visibility": "invited"]]],
            ])
            let room = SuiteClient.escape(roomID)
            let before = try await alice.send(roomID, "before the invite")
            try await alice.ok("POST", "/rooms/\(room)/invite", ["user_id": .string(bob.userID)])
            let invited = try await alice.send(roomID, "while invited")
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let page = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let ids = Set((page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue })
            #expect(ids.contains(invited) && !ids.contains(before), "\(page)")
        },
        ClientScenario(name: "leaving keeps history readable up to the leave") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let before = try await alice.send(roomID, "before")
            try await bob.ok("POST", "/rooms/\(room)/leave", [:])
            let after = try await alice.send(roomID, "after")
            let page = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let ids = (page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(ids.contains(before))
            #expect(!ids.contains(after))
            let rooms = try await bob.ok("GET", "/joined_rooms")
            #expect(rooms["joined_rooms"] == [])
        },
    ]

    static let state: [ClientScenario] = [
        ClientScenario(name: "state put and get, with format=event, and 404 for absent state") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let room = SuiteClient.escape(roomID)
            let put = try await alice.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "new topic"])
            let topic = try await alice.ok("GET", "/rooms/\(room)/state/m.room.topic")
            #expect(topic == ["topic": "new topic"])
            let event = try await alice.ok("GET", "/rooms/\(room)/state/m.room.topic/?format=event")
            #expect(event["event_id"] == put["event_id"])
            #expect(event["sender"]?.stringValue == alice.userID)
            let custom = try await alice.ok("PUT", "/rooms/\(room)/state/org.example.thing/key1", ["n": 1])
            #expect(custom["event_id"]?.stringValue?.hasPrefix("$") == true)
            let absent = try await alice.call("GET", "/rooms/\(room)/state/org.example.thing/other")
            #expect(absent.status == 404 && absent.errcode == "M_NOT_FOUND", "\(absent)")
            let all = try await alice.ok("GET", "/rooms/\(room)/state")
            let types = Set((all.arrayValue ?? []).compactMap { $0["type"]?.stringValue })
            #expect(types.isSuperset(of: ["m.room.create", "m.room.member", "m.room.power_levels", "m.room.topic", "org.example.thing"]))
        },
        ClientScenario(name: "a redaction sent through /send needs the power to redact and an event of the room") { context in
            let alice = try await context.user("alice")
            let mallory = try await context.user("mallory")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await mallory.ok("POST", "/rooms/\(room)/join", [:])
            let target = try await alice.send(roomID, "keep me")
            let forged = try await mallory.call("PUT", "/rooms/\(room)/send/m.room.redaction/r1", ["redacts": .string(target)])
            #expect(forged.status == 403, "\(forged)")
            let ownRoom = try await mallory.createRoom()
            let elsewhere = try await mallory.call(
                "PUT", "/rooms/\(SuiteClient.escape(ownRoom))/send/m.room.redaction/r2", ["redacts": .string(target)]
            )
            let event = try await alice.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(target))")
            #expect(event["content"]?["body"] == "keep me", "redacting from another room (\(elsewhere.status)) must not touch it")
        },
        ClientScenario(name: "one transaction ID in two rooms sends two events") { context in
            let alice = try await context.user()
            let first = try await alice.createRoom()
            let second = try await alice.createRoom()
            let one = try await alice.send(first, "one", txn: "shared-txn")
            let two = try await alice.send(second, "two", txn: "shared-txn")
            #expect(one != two)
            let event = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(second))/event/\(SuiteClient.escape(two))")
            #expect(event["content"]?["body"] == "two")
        },
        ClientScenario(name: "send is idempotent per transaction ID and redaction empties content") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let room = SuiteClient.escape(roomID)
            let first = try await alice.send(roomID, "once", txn: "same-txn")
            let again = try await alice.send(roomID, "once", txn: "same-txn")
            #expect(first == again)
            let redaction = try await alice.ok("PUT", "/rooms/\(room)/redact/\(SuiteClient.escape(first))/r1", ["reason": "oops"])
            #expect(redaction["event_id"]?.stringValue?.hasPrefix("$") == true)
            let event = try await alice.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(first))")
            #expect(event["content"] == [:], "\(event)")
            let unknown = try await alice.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape("$nonexistent"))")
            #expect(unknown.status == 404 && unknown.errcode == "M_NOT_FOUND", "\(unknown)")
            let page = try await alice.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let bodies = (page["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }
            #expect(bodies.count == 1, "the retried send stored one event")
        },
        ClientScenario(name: "rooms v1-v5 keep floats and large integers as sent; v6 and later refuse them") { context in
            let alice = try await context.user()
            let legacy = SuiteClient.escape(try await alice.createRoom(["room_version": "5"]))
            let content: JSONValue = ["msgtype": "m.text", "body": "numbers", "ratio": 0.1, "big": .integer(1 << 60), "whole": 2.0]
            let sent = try await alice.ok("PUT", "/rooms/\(legacy)/send/m.room.message/legacy-numbers", content)
            let eventID = try #require(sent["event_id"]?.stringValue)
            let event = try await alice.ok("GET", "/rooms/\(legacy)/event/\(SuiteClient.escape(eventID))")
            #expect(event["content"] == content, "\(event)")
            let strict = SuiteClient.escape(try await alice.createRoom(["room_version": "10"]))
            for (index, number) in [JSONValue.double(0.1), .integer(1 << 60)].enumerated() {
                let refused = try await alice.call("PUT", "/rooms/\(strict)/send/m.room.message/strict-\(index)", ["msgtype": "m.text", "body": "x", "n": number])
                #expect(refused.status == 400 && refused.errcode == "M_BAD_JSON", "\(refused)")
            }
        },
        ClientScenario(name: "a key repeated in a request body is read as its last value") { context in
            let alice = try await context.user()
            let room = SuiteClient.escape(try await alice.createRoom())
            let sent = try await alice.call(
                "PUT", "/rooms/\(room)/send/m.room.message/repeated-key", text: #"{"msgtype":"m.text","body":"first","body":"last"}"#
            )
            #expect(sent.status == 200, "\(sent)")
            let eventID = try #require(sent.json["event_id"]?.stringValue)
            let event = try await alice.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(eventID))")
            #expect(event["content"] == ["msgtype": "m.text", "body": "last"], "\(event)")
        },
        ClientScenario(name: "canonically equivalent content keys and state keys stay distinct") { context in
            let alice = try await context.user()
            let room = SuiteClient.escape(try await alice.createRoom())
            let content: JSONValue = ["body": "keys", "msgtype": "m.text", "\u{E9}": 1, "e\u{301}": 2]
            let sent = try await alice.ok("PUT", "/rooms/\(room)/send/m.room.message/equivalent-keys", content)
            let eventID = try #require(sent["event_id"]?.stringValue)
            let event = try await alice.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(eventID))")
            #expect(event["content"]?.objectValue?.count == 4 && event["content"] == content, "\(event)")
            _ = try await alice.ok("PUT", "/rooms/\(room)/state/org.example.slot/\(SuiteClient.escape("\u{E9}"))", ["n": 1])
            _ = try await alice.ok("PUT", "/rooms/\(room)/state/org.example.slot/\(SuiteClient.escape("e\u{301}"))", ["n": 2])
            let precomposed = try await alice.ok("GET", "/rooms/\(room)/state/org.example.slot/\(SuiteClient.escape("\u{E9}"))")
            let decomposed = try await alice.ok("GET", "/rooms/\(room)/state/org.example.slot/\(SuiteClient.escape("e\u{301}"))")
            #expect(precomposed["n"] == 1 && decomposed["n"] == 2, "\(precomposed) \(decomposed)")
            let state = try await alice.ok("GET", "/rooms/\(room)/state")
            let slots = (state.arrayValue ?? []).filter { $0["type"] == "org.example.slot" }.compactMap { $0["state_key"]?.stringValue }
            #expect(slots.count == 2 && Set(slots.map { Array($0.utf8) }).count == 2, "\(slots)")
        },
    ]

    static let history: [ClientScenario] = [
        ClientScenario(name: "messages pages backwards and forwards in order") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let room = SuiteClient.escape(roomID)
            var sent: [String] = []
            for index in 0..<25 { sent.append(try await alice.send(roomID, "m\(index)")) }
            var seen: [String] = []
            var from: String?
            for _ in 0..<20 {
                let query = "dir=b&limit=7" + (from.map { "&from=\(SuiteClient.escape($0))" } ?? "")
                let page = try await alice.ok("GET", "/rooms/\(room)/messages?\(query)")
                seen += (page["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }.compactMap { $0["event_id"]?.stringValue }
                guard let end = page["end"]?.stringValue else { break }
                from = end
            }
            #expect(seen == sent.reversed(), "backward pagination returns every message once, newest first")
            let forward = try await alice.ok("GET", "/rooms/\(room)/messages?dir=f&limit=100")
            let forwardIDs = (forward["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }.compactMap { $0["event_id"]?.stringValue }
            #expect(forwardIDs == sent)
            let filtered = try await alice.ok(
                "GET", "/rooms/\(room)/messages?dir=b&limit=100&filter=\(SuiteClient.escape("{\"types\":[\"m.room.member\"]}"))"
            )
            #expect((filtered["chunk"]?.arrayValue ?? []).allSatisfy { $0["type"] == "m.room.member" })
            let badToken = try await alice.call("GET", "/rooms/\(room)/messages?dir=b&from=nonsense")
            #expect(badToken.status == 400, "\(badToken)")
        },
        ClientScenario(name: "context returns the events around one, with state") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let room = SuiteClient.escape(roomID)
            var sent: [String] = []
            for index in 0..<5 { sent.append(try await alice.send(roomID, "c\(index)")) }
            let around = try await alice.ok("GET", "/rooms/\(room)/context/\(SuiteClient.escape(sent[2]))?limit=2")
            #expect(around["event"]?["event_id"]?.stringValue == sent[2])
            #expect((around["events_before"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue } == [sent[1]])
            #expect((around["events_after"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue } == [sent[3]])
            #expect((around["state"]?.arrayValue ?? []).contains { $0["type"] == "m.room.create" })
            let end = try #require(around["end"]?.stringValue)
            let next = try await alice.ok("GET", "/rooms/\(room)/messages?dir=f&from=\(SuiteClient.escape(end))&limit=10")
            #expect((next["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue } == [sent[4]])
        },
        ClientScenario(name: "members at an earlier point show the membership then") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            let early = try await alice.sync()
            let token = try #require(early["next_batch"]?.stringValue)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let then = try await alice.ok("GET", "/rooms/\(room)/members?at=\(SuiteClient.escape(token))")
            #expect((then["chunk"]?.arrayValue ?? []).compactMap { $0["state_key"]?.stringValue } == [alice.userID])
            let now = try await alice.ok("GET", "/rooms/\(room)/members?membership=join")
            #expect(Set((now["chunk"]?.arrayValue ?? []).compactMap { $0["state_key"]?.stringValue }) == [alice.userID, bob.userID])
            let notJoined = try await alice.ok("GET", "/rooms/\(room)/members?not_membership=join")
            #expect(notJoined["chunk"] == [])
        },
    ]

    static let sync: [ClientScenario] = [
        ClientScenario(name: "an invite's stripped state holds the room's identifying state with empty state keys only") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "private_chat", "name": "Invited"])
            try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.name/elsewhere", ["name": "Not the name"])
            try await alice.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/invite", ["user_id": .string(bob.userID)])
            let invited = try await bob.sync()
            let inviteState = invited["rooms"]?["invite"]?[roomID]?["invite_state"]?["events"]?.arrayValue ?? []
            let names = inviteState.filter { $0["type"] == "m.room.name" }
            #expect(names.count == 1 && names.first?["state_key"] == "" && names.first?["content"]?["name"] == "Invited", "\(inviteState)")
        },
        ClientScenario(name: "sync delivers an invite, then the room, each event once, with transaction IDs") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let first = try await bob.sync()
            var since = try #require(first["next_batch"]?.stringValue)
            let roomID = try await alice.createRoom(["preset": "private_chat", "invite": [.string(bob.userID)], "name": "Invited"])
            let invited = try await bob.sync(since: since, timeout: 5000)
            let inviteState = invited["rooms"]?["invite"]?[roomID]?["invite_state"]?["events"]?.arrayValue ?? []
            #expect(inviteState.contains { $0["type"] == "m.room.create" }, "invite_state carries m.room.create")
            #expect(inviteState.contains { $0["type"] == "m.room.name" })
            since = try #require(invited["next_batch"]?.stringValue)
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/join", [:])
            let sent = try await bob.send(roomID, "hello", txn: "bob-txn-1")
            var seen: [String] = []
            var ownEcho: JSONValue?
            for _ in 0..<10 where !seen.contains(sent) {
                let response = try await bob.sync(since: since, filter: ["room": ["timeline": ["limit": 50]]], timeout: 5000)
                for event in response.timeline(roomID) {
                    seen.append(event["event_id"]?.stringValue ?? "")
                    if event["event_id"]?.stringValue == sent { ownEcho = event }
                }
                since = try #require(response["next_batch"]?.stringValue)
            }
            #expect(Set(seen).count == seen.count, "no event twice")
            #expect(ownEcho?["unsigned"]?["transaction_id"] == "bob-txn-1", "the sending device sees its transaction ID")
            let aliceView = try await alice.sync(filter: ["room": ["timeline": ["limit": 50]]])
            let echo = aliceView.timeline(roomID).first { $0["event_id"]?.stringValue == sent }
            #expect(echo != nil && echo?["unsigned"]?["transaction_id"] == nil, "other users never see it")
        },
        ClientScenario(name: "a limited timeline's gap is filled by /messages from prev_batch") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let start = try await alice.sync()
            let since = try #require(start["next_batch"]?.stringValue)
            var sent: [String] = []
            for index in 0..<12 { sent.append(try await alice.send(roomID, "gap \(index)")) }
            let response = try await alice.sync(since: since, filter: ["room": ["timeline": ["limit": 3]]])
            let timeline = response.timeline(roomID)
            #expect(timeline.compactMap { $0["event_id"]?.stringValue } == Array(sent.suffix(3)))
            #expect(response["rooms"]?["join"]?[roomID]?["timeline"]?["limited"] == true)
            let prevBatch = try #require(response["rooms"]?["join"]?[roomID]?["timeline"]?["prev_batch"]?.stringValue)
            let gap = try await alice.ok(
                "GET", "/rooms/\(SuiteClient.escape(roomID))/messages?dir=b&limit=100&from=\(SuiteClient.escape(prevBatch))&to=\(SuiteClient.escape(since))"
            )
            let filled = (gap["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(filled == Array(sent.prefix(9).reversed()), "exactly the events between the token and the timeline")
        },
        ClientScenario(name: "typing, receipts and account data arrive through sync") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let event = try await bob.send(roomID, "read me")
            let start = try await alice.sync()
            var since = try #require(start["next_batch"]?.stringValue)
            try await bob.ok("PUT", "/rooms/\(room)/typing/\(SuiteClient.escape(bob.userID))", ["typing": true, "timeout": 10000])
            try await bob.ok("POST", "/rooms/\(room)/receipt/m.read/\(SuiteClient.escape(event))", [:])
            try await alice.ok("PUT", "/user/\(SuiteClient.escape(alice.userID))/account_data/org.example.settings", ["theme": "dark"])
            var typing = false, receipt = false, accountData = false
            for _ in 0..<10 where !(typing && receipt && accountData) {
                let response = try await alice.sync(since: since, timeout: 3000)
                for ephemeral in response["rooms"]?["join"]?[roomID]?["ephemeral"]?["events"]?.arrayValue ?? [] {
                    if ephemeral["type"] == "m.typing", ephemeral["content"]?["user_ids"]?.arrayValue?.contains(.string(bob.userID)) == true {
                        typing = true
                    }
                    if ephemeral["type"] == "m.receipt", ephemeral["content"]?[event]?["m.read"]?[bob.userID] != nil { receipt = true }
                }
                for data in response["account_data"]?["events"]?.arrayValue ?? [] where data["type"] == "org.example.settings" {
                    accountData = data["content"] == ["theme": "dark"]
                }
                since = try #require(response["next_batch"]?.stringValue)
            }
            #expect(typing && receipt && accountData, "typing \(typing), receipt \(receipt), account data \(accountData)")
        },
        ClientScenario(name: "a lazy-loading sync names a direct chat through its summary") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "trusted_private_chat", "is_direct": true, "invite": [.string(bob.userID)]])
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/join", [:])
            let lazy: JSONValue = ["room": ["state": ["lazy_load_members": true], "timeline": ["limit": 2]]]
            let response = try await bob.sync(filter: lazy)
            let summary = response["rooms"]?["join"]?[roomID]?["summary"]
            #expect(summary?["m.joined_member_count"] == 2, "\(String(describing: summary))")
            #expect(summary?["m.heroes"] == [.string(alice.userID)], "\(String(describing: summary))")
            let members = (response["rooms"]?["join"]?[roomID]?["state"]?["events"]?.arrayValue ?? [])
                .filter { $0["type"] == "m.room.member" }.compactMap { $0["state_key"]?.stringValue }
            #expect(members.contains(bob.userID), "lazy loading still sends the user's own member event")
        },
        ClientScenario(name: "a sync with a bad since token is refused") { context in
            let alice = try await context.user()
            let reply = try await alice.call("GET", "/sync?since=not-a-token&timeout=0")
            #expect(reply.status >= 400 && reply.status < 500, "\(reply)")
        },
    ]

    static let userData: [ClientScenario] = [
        ClientScenario(name: "display names change the member event in joined rooms") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            try await alice.ok("PUT", "/profile/\(SuiteClient.escape(alice.userID))/displayname", ["displayname": "Alice Liddell"])
            let profile = try await alice.ok("GET", "/profile/\(SuiteClient.escape(alice.userID))")
            #expect(profile["displayname"] == "Alice Liddell")
            // Synapse writes the member events in the background, so allow it a moment.
            var member: JSONValue = [:]
            for _ in 0..<50 where member["displayname"] != "Alice Liddell" {
                member = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/state/m.room.member/\(SuiteClient.escape(alice.userID))")
                if member["displayname"] != "Alice Liddell" { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(member["displayname"] == "Alice Liddell")
            #expect(member["membership"] == "join")
            let page = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/messages?dir=b&limit=5")
            let change = (page["chunk"]?.arrayValue ?? []).first { $0["type"] == "m.room.member" && $0["content"]?["displayname"] == "Alice Liddell" }
            #expect(change?["unsigned"]?["prev_content"]?["membership"] == "join", "the change shows what it replaced: \(String(describing: change))")
            #expect(change?["unsigned"]?["prev_content"]?["displayname"] != "Alice Liddell")
            let other = try await alice.call("PUT", "/profile/\(SuiteClient.escape("@someoneelse:\(context.serverName)"))/displayname", ["displayname": "x"])
            #expect(other.status == 403 || other.status == 400, "\(other)")
        },
        ClientScenario(name: "account data: absent type is 404, global and room data round-trip, tags") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let user = SuiteClient.escape(alice.userID)
            let room = SuiteClient.escape(roomID)
            let absent = try await alice.call("GET", "/user/\(user)/account_data/org.example.absent")
            #expect(absent.status == 404 && absent.errcode == "M_NOT_FOUND", "\(absent)")
            try await alice.ok("PUT", "/user/\(user)/account_data/org.example.a", ["k": "v"])
            #expect(try await alice.ok("GET", "/user/\(user)/account_data/org.example.a") == ["k": "v"])
            try await alice.ok("PUT", "/user/\(user)/rooms/\(room)/account_data/org.example.b", ["k": 2])
            #expect(try await alice.ok("GET", "/user/\(user)/rooms/\(room)/account_data/org.example.b") == ["k": 2])
            try await alice.ok("PUT", "/user/\(user)/rooms/\(room)/tags/u.work", ["order": 1])
            let tags = try await alice.ok("GET", "/user/\(user)/rooms/\(room)/tags")
            #expect(tags["tags"]?["u.work"] != nil, "\(tags)")
            try await alice.ok("DELETE", "/user/\(user)/rooms/\(room)/tags/u.work")
            #expect(try await alice.ok("GET", "/user/\(user)/rooms/\(room)/tags")["tags"] == [:])
            let others = try await alice.call("GET", "/user/\(SuiteClient.escape("@else:\(context.serverName)"))/account_data/org.example.a")
            #expect(others.status == 403, "\(others)")
        },
        ClientScenario(name: "filters are stored and returned") { context in
            let alice = try await context.user()
            let user = SuiteClient.escape(alice.userID)
            let filter: JSONValue = ["room": ["timeline": ["limit": 5]]]
            let created = try await alice.ok("POST", "/user/\(user)/filter", filter)
            let id = try #require(created["filter_id"]?.stringValue)
            let stored = try await alice.ok("GET", "/user/\(user)/filter/\(id)")
            #expect(stored["room"]?["timeline"]?["limit"] == 5)
            let roomID = try await alice.createRoom()
            for index in 0..<8 { _ = try await alice.send(roomID, "f\(index)") }
            let response = try await alice.sync(filter: nil)
            #expect(response.timeline(roomID).count <= 10)
            let filtered = try await alice.ok("GET", "/sync?timeout=0&filter=\(id)")
            #expect(filtered.timeline(roomID).count == 5)
            let missing = try await alice.call("GET", "/user/\(user)/filter/999999")
            #expect(missing.status == 404 && missing.errcode == "M_NOT_FOUND", "\(missing)")
        },
    ]
}
