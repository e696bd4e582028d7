import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Sync filters: the timeline filled with events that pass, filter validation, `event_format`, ignored users and
/// archived rooms.
extension ClientScenarios {
    static let syncFilters: [ClientScenario] = [
        ClientScenario(name: "A filtered timeline fills its limit with events that pass; limited only when some were left out") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            func noise(_ count: Int) async throws {
                for _ in 0..<count {
                    _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(roomID))/send/org.example.noise/\(UUID().uuidString)", ["n": 1])
                }
            }
            func timeline(_ response: JSONValue) -> (ids: [String], limited: JSONValue?) {
                (response.timeline(roomID).compactMap { $0["event_id"]?.stringValue }, response["rooms"]?["join"]?[roomID]?["timeline"]?["limited"])
            }
            // Synapse answers a repeated identical sync from a cache for a while, so each request names its attempt.
            func messagesOnly(_ attempt: Int) -> JSONValue {
                ["room": ["timeline": ["limit": 3, "types": ["m.room.message"]]], "org.example.attempt": .integer(Int64(attempt))]
            }

            var sent: [String] = []
            for index in 0..<2 { sent.append(try await alice.send(roomID, "early \(index)")) }
            try await noise(15)
            let initial = timeline(try await alice.sync(filter: messagesOnly(1)))
            #expect(initial.ids == sent, "filtered-out events do not take the timeline's places: \(initial)")
            #expect(initial.limited == false, "no message was left out: \(initial)")

            for index in 0..<4 {
                sent.append(try await alice.send(roomID, "later \(index)"))
                try await noise(2)
            }
            let full = timeline(try await alice.sync(filter: messagesOnly(2)))
            #expect(full.ids == Array(sent.suffix(3)), "\(full)")
            #expect(full.limited == true, "older messages were left out: \(full)")

            let since = try #require(try await alice.sync()["next_batch"]?.stringValue)
            let fresh = [try await alice.send(roomID, "new 0"), try await alice.send(roomID, "new 1")]
            try await noise(15)
            let incremental = timeline(try await alice.sync(since: since, filter: messagesOnly(3)))
            #expect(incremental.ids == fresh, "\(incremental)")
            #expect(incremental.limited == false, "everything after the token that passes is there: \(incremental)")
        },
        ClientScenario(name: "Invalid filters are refused with 400, on upload and on /sync; unknown filter IDs too") { context in
            let alice = try await context.user()
            let user = SuiteClient.escape(alice.userID)
            // Synapse 1.163 answers 500 to uploading a non-numeric timeline limit: it caps the limit before validating.
            let badLimit: JSONValue = ["room": ["timeline": ["limit": "ten"]]]
            let invalid: [JSONValue] = (context.kind.isAxon ? [badLimit] : []) + [
                ["room": ["state": ["lazy_load_members": "true"]]],
                ["room": ["state": ["lazy_load_members": true, "include_redundant_members": 1]]],
                ["room": ["timeline": ["senders": ["not-a-user-id"]]]],
                ["room": ["include_leave": "yes"]],
                ["event_format": "raw"],
            ]
            for filter in invalid {
                let uploaded = try await alice.call("POST", "/user/\(user)/filter", filter)
                #expect(uploaded.status == 400, "\(filter): \(uploaded)")
                let inline = try await alice.call("GET", "/sync?timeout=0&filter=" + SuiteClient.escape(String(decoding: filter.encoded(), as: UTF8.self)))
                #expect(inline.status == 400, "\(filter): \(inline)")
                // The spec's code for a well-formed body with invalid values; Synapse 1.163 answers M_UNKNOWN.
                if context.kind.isAxon {
                    #expect(uploaded.errcode == "M_BAD_JSON" && inline.errcode == "M_BAD_JSON", "\(uploaded) \(inline)")
                }
            }
            let inlineBadLimit = try await alice.call("GET", "/sync?timeout=0&filter=" + SuiteClient.escape(String(decoding: badLimit.encoded(), as: UTF8.self)))
            #expect(inlineBadLimit.status == 400, "\(inlineBadLimit)")
            let notJSON = try await alice.call("GET", "/sync?timeout=0&filter=" + SuiteClient.escape("{\"room\":"))
            #expect(notJSON.status == 400 && notJSON.errcode == "M_NOT_JSON", "\(notJSON)")
            for unknown in ["999999", "not-a-filter-id"] {
                let reply = try await alice.call("GET", "/sync?timeout=0&filter=\(unknown)")
                #expect(reply.status == 400 && reply.errcode == "M_INVALID_PARAM", "\(unknown): \(reply)")
            }
            let missing = try await alice.call("GET", "/user/\(user)/filter/999999")
            #expect(missing.status == 404 && missing.errcode == "M_NOT_FOUND", "\(missing)")

            let roomID = try await alice.createRoom()
            let valid: JSONValue = ["room": ["timeline": ["limit": 1], "state": ["lazy_load_members": true, "include_redundant_members": false]]]
            let created = try await alice.ok("POST", "/user/\(user)/filter", valid)
            let id = try #require(created["filter_id"]?.stringValue)
            #expect(try await alice.ok("GET", "/sync?timeout=0&filter=\(id)").timeline(roomID).count == 1)
            let inline = try await alice.ok("GET", "/sync?timeout=0&filter=" + SuiteClient.escape(String(decoding: valid.encoded(), as: UTF8.self)))
            #expect(inline.timeline(roomID).count == 1, "a JSON filter in the query string applies: \(inline)")
        },
        ClientScenario(name: "event_format federation returns whole events in /sync") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let message = try await alice.send(roomID, "whole")
            let federation = try await alice.sync(filter: ["event_format": "federation", "room": ["timeline": ["limit": 50]]])
            let events = federation.timeline(roomID)
            let sent = try #require(events.first { $0["event_id"]?.stringValue == message }, "\(federation)")
            for field in ["room_id", "auth_events", "prev_events", "depth", "hashes", "signatures", "origin_server_ts", "sender", "type", "content"] {
                #expect(sent[field] != nil, "\(field) in \(sent)")
            }
            #expect(sent["content"]?["body"] == "whole")
            #expect(events.allSatisfy { $0["auth_events"] != nil && $0["event_id"] != nil }, "\(events)")
            let client = try await alice.sync(filter: ["room": ["timeline": ["limit": 50]]])
            let plain = try #require(client.timeline(roomID).first { $0["event_id"]?.stringValue == message })
            #expect(plain["auth_events"] == nil && plain["hashes"] == nil && plain["room_id"] == nil, "\(plain)")
        },
        ClientScenario(name: "Ignored users' events and invites vanish from sync (full and incremental), /messages, /context and /event; their state stays; nobody ignores themselves") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let carol = try await context.user("carol")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/join/\(room)", [:])
            try await carol.ok("POST", "/join/\(room)", [:])
            let user = SuiteClient.escape(bob.userID)
            let oneself = try await bob.call("PUT", "/user/\(user)/account_data/m.ignored_user_list", ["ignored_users": .object([bob.userID: [:]])])
            #expect(oneself.status == 400 && oneself.errcode == "M_INVALID_PARAM", "nobody ignores themselves: \(oneself)")
            try await bob.ok("PUT", "/user/\(user)/account_data/m.ignored_user_list", ["ignored_users": .object([carol.userID: [:]])])
            let hidden = try await carol.send(roomID, "ignored")
            let shown = try await alice.send(roomID, "seen")
            let wide: JSONValue = ["room": ["timeline": ["limit": 50]]]

            let initial = try await bob.sync(filter: wide)
            let ids = initial.timeline(roomID).compactMap { $0["event_id"]?.stringValue }
            #expect(ids.contains(shown) && !ids.contains(hidden), "\(ids)")
            let carolJoin = (initial.timeline(roomID) + (initial["rooms"]?["join"]?[roomID]?["state"]?["events"]?.arrayValue ?? []))
                .contains { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == carol.userID }
            #expect(carolJoin, "an ignored user's state events stay: \(initial)")

            let history = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let paged = (history["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(paged.contains(shown) && !paged.contains(hidden), "/messages leaves them out too: \(paged)")
            let around = try await bob.ok("GET", "/rooms/\(room)/context/\(SuiteClient.escape(shown))?limit=10")
            let before = (around["events_before"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(!before.isEmpty && !before.contains(hidden), "/context too: \(around)")
            let single = try await bob.call("GET", "/rooms/\(room)/event/\(SuiteClient.escape(hidden))")
            #expect(single.status == 404 && single.errcode == "M_NOT_FOUND", "/event hides it as unknown: \(single)")
            let centred = try await bob.call("GET", "/rooms/\(room)/context/\(SuiteClient.escape(hidden))")
            #expect(centred.status == 403 && centred.errcode == "M_FORBIDDEN", "/context refuses it: \(centred)")
            #expect(try await alice.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(hidden))")["event_id"]?.stringValue == hidden)

            var since = try #require(initial["next_batch"]?.stringValue)
            let laterHidden = try await carol.send(roomID, "ignored again")
            let laterShown = try await alice.send(roomID, "seen again")
            var seen: [String] = []
            for _ in 0..<10 where !seen.contains(laterShown) {
                let response = try await bob.sync(since: since, filter: wide, timeout: 5000)
                seen += response.timeline(roomID).compactMap { $0["event_id"]?.stringValue }
                since = try #require(response["next_batch"]?.stringValue)
            }
            #expect(seen.contains(laterShown) && !seen.contains(laterHidden), "\(seen)")
            _ = try await carol.send(roomID, "only ignored news")
            let quiet = try await bob.sync(since: since, filter: wide, timeout: 1000)
            #expect(quiet["rooms"]?["join"]?[roomID] == nil, "a room with nothing but ignored news is left out: \(quiet)")

            // Invites from an ignored user do not show; others' do.
            let fromCarol = try await carol.createRoom(["invite": [.string(bob.userID)]])
            let fromAlice = try await alice.createRoom(["invite": [.string(bob.userID)]])
            var invites: Set<String> = []
            for _ in 0..<10 where !invites.contains(fromAlice) {
                let response = try await bob.sync(since: since, timeout: 5000)
                invites.formUnion(response["rooms"]?["invite"]?.objectValue?.keys ?? [])
                since = try #require(response["next_batch"]?.stringValue)
            }
            #expect(invites.contains(fromAlice) && !invites.contains(fromCarol), "\(invites)")
            let full = try await bob.sync()
            let fullInvites = full["rooms"]?["invite"]?.objectValue?.keys ?? []
            #expect(fullInvites.contains(fromAlice) && !fullInvites.contains(fromCarol), "\(fullInvites)")
        },
        ClientScenario(name: "An archived room shows only history from before the user left") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let roomID = try await alice.createRoom(["preset": "public_chat", "topic": "before"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/join/\(room)", [:])
            let before = try await alice.send(roomID, "while bob is here")
            let since = try #require(try await bob.sync()["next_batch"]?.stringValue)
            try await bob.ok("POST", "/rooms/\(room)/leave", [:])
            let after = try await alice.send(roomID, "after bob left")
            try await alice.ok("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "after"])

            func check(_ response: JSONValue, _ label: String) {
                let left = response["rooms"]?["leave"]?[roomID]
                let events = response.timeline(roomID, section: "leave")
                let ids = events.compactMap { $0["event_id"]?.stringValue }
                #expect(!ids.contains(after), "\(label): \(ids)")
                #expect(events.last?["type"] == "m.room.member" && events.last?["state_key"]?.stringValue == bob.userID, "\(label): ends at the leave: \(events)")
                #expect(events.last?["content"]?["membership"] == "leave", "\(label): \(events)")
                let state = left?["state"]?["events"]?.arrayValue ?? []
                let topics = (state + events).filter { $0["type"] == "m.room.topic" }.map { $0["content"]?["topic"] }
                #expect(!topics.contains("after"), "\(label): \(topics)")
            }
            let withLeave: JSONValue = ["room": ["include_leave": true, "timeline": ["limit": 50]]]
            let full = try await bob.sync(filter: withLeave)
            check(full, "initial")
            #expect(full.timeline(roomID, section: "leave").contains { $0["event_id"]?.stringValue == before }, "\(full)")
            let incremental = try await bob.sync(since: since, filter: withLeave)
            check(incremental, "incremental")
            let history = try await bob.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let paged = (history["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            #expect(paged.contains(before) && !paged.contains(after), "\(paged)")
        },
        ClientScenario(name: "Without include_leave an initial sync still lists rooms the user was kicked or banned from") { context in
            let alice = try await context.user("alice")
            let kicked = try await context.user("kicked")
            let banned = try await context.user("banned")
            let leaver = try await context.user("leaver")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            for user in [kicked, banned, leaver] { try await user.ok("POST", "/join/\(room)", [:]) }
            try await alice.ok("POST", "/rooms/\(room)/kick", ["user_id": .string(kicked.userID)])
            try await alice.ok("POST", "/rooms/\(room)/ban", ["user_id": .string(banned.userID)])
            try await leaver.ok("POST", "/rooms/\(room)/leave", [:])
            for user in [kicked, banned] {
                let response = try await user.sync()
                let events = response.timeline(roomID, section: "leave")
                #expect(events.last?["state_key"]?.stringValue == user.userID, "\(user.userID): \(response)")
            }
            let own = try await leaver.sync()
            #expect(own["rooms"]?["leave"]?[roomID] == nil, "a room left by choice waits for include_leave: \(own)")
            let asked = try await leaver.sync(filter: ["room": ["include_leave": true]])
            #expect(asked["rooms"]?["leave"]?[roomID] != nil, "\(asked)")
        },
    ]
}
