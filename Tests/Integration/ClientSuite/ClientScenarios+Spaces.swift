import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// `/hierarchy`: a space's rooms depth first, what the requester may see, in pages.
extension ClientScenarios {
    static let spaces: [ClientScenario] = [
        ClientScenario(name: "the hierarchy walks a space depth first: suggested only, max_depth, pages of one, a private root refused") { context in
            let alice = try await context.user("alice")
            let bob = try await context.user("bob")
            let carol = try await context.user("carol")
            func space(_ name: String) async throws -> String {
                try await alice.createRoom(["preset": "public_chat", "name": .string(name), "creation_content": ["type": "m.space"]])
            }
            let root = try await space("Suite space")
            let lobby = try await alice.createRoom(["preset": "public_chat", "name": "Lobby"])
            let hideout = try await alice.createRoom(["preset": "private_chat", "name": "Hideout"])
            let pick = try await alice.createRoom(["preset": "public_chat", "name": "Pick"])
            let wing = try await space("Wing")
            let deep = try await alice.createRoom(["preset": "public_chat", "name": "Deep"])
            func add(_ child: String, to parent: String, _ content: JSONObject) async throws {
                var content = content
                content["via"] = [.string(context.serverName)]
                try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(parent))/state/m.space.child/\(SuiteClient.escape(child))", .object(content))
            }
            try await add(lobby, to: root, ["order": "a"])
            try await add(hideout, to: root, ["order": "b"])
            try await add(pick, to: root, ["order": "c", "suggested": true])
            try await add(wing, to: root, ["order": "d"])
            try await add(deep, to: wing, [:])
            // A child event without `via` names no child.
            try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(root))/state/m.space.child/\(SuiteClient.escape(deep))", ["order": "0"])

            func hierarchy(_ user: SuiteClient, _ room: String, _ query: String = "") async throws -> SuiteClient.Reply {
                try await SuiteClient.raw(
                    "GET", user.baseURL + "/_matrix/client/v1/rooms/\(SuiteClient.escape(room))/hierarchy" + query, body: nil, token: user.accessToken
                )
            }
            func rooms(_ reply: SuiteClient.Reply) -> [String] {
                (reply.json["rooms"]?.arrayValue ?? []).compactMap { $0["room_id"]?.stringValue }
            }
            let full = try await hierarchy(bob, root)
            #expect(full.status == 200, "\(full)")
            #expect(rooms(full) == [root, lobby, pick, wing, deep], "the private room is left out: \(full)")
            #expect(full.json["next_batch"] == nil, "\(full)")
            let top = full.json["rooms"]?[0]
            #expect(top?["room_type"] == "m.space" && top?["name"] == "Suite space" && top?["num_joined_members"] == 1, "\(full)")
            #expect(top?["join_rule"] == "public" && top?["world_readable"] == false && top?["guest_can_join"] == false, "\(full)")
            let children = top?["children_state"]?.arrayValue ?? []
            #expect(children.compactMap { $0["state_key"]?.stringValue } == [lobby, hideout, pick, wing], "\(full)")
            #expect(children.allSatisfy { $0["type"] == "m.space.child" && $0["origin_server_ts"]?.integerValue != nil && $0["sender"]?.stringValue == alice.userID })
            #expect(full.json["rooms"]?[1]?["children_state"] == [], "\(full)")

            let suggested = try await hierarchy(bob, root, "?suggested_only=true")
            #expect(rooms(suggested) == [root, pick], "\(suggested)")
            let shallow = try await hierarchy(bob, root, "?max_depth=1")
            #expect(rooms(shallow) == [root, lobby, pick, wing], "\(shallow)")
            let refused = try await hierarchy(bob, hideout)
            #expect(refused.status == 403 && refused.errcode == "M_FORBIDDEN", "\(refused)")
            let malformed = try await hierarchy(bob, root, "?max_depth=deep")
            #expect(malformed.status == 400 && malformed.errcode == "M_INVALID_PARAM", "\(malformed)")

            var paged: [String] = []
            var tokens: [String] = []
            var query = "?limit=1"
            for _ in 0..<6 {
                let page = try await hierarchy(carol, root, query)
                #expect(page.status == 200 && rooms(page).count == 1, "\(page)")
                paged += rooms(page)
                guard let next = page.json["next_batch"]?.stringValue else { break }
                tokens.append(next)
                query = "?limit=1&from=\(SuiteClient.escape(next))"
            }
            #expect(paged == [root, lobby, pick, wing, deep], "\(paged)")
            let first = try #require(tokens.first)
            let changed = try await hierarchy(carol, root, "?limit=1&suggested_only=true&from=\(SuiteClient.escape(first))")
            #expect(changed.status == 400 && changed.errcode == "M_INVALID_PARAM", "\(changed)")
            let unknown = try await hierarchy(carol, root, "?from=nothing-like-a-token")
            #expect(unknown.status == 400 && unknown.errcode == "M_INVALID_PARAM", "\(unknown)")
        },
    ]
}
