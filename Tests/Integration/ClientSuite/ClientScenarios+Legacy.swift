import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Endpoints Synapse still serves for older clients, bots and bridges.
extension ClientScenarios {
    static let legacy: [ClientScenario] = [
        ClientScenario(name: "POST /send/{type} without a transaction ID sends a new event each call") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let roomID = try await alice.createRoom()
            let room = SuiteClient.escape(roomID)
            let content: JSONValue = ["msgtype": "m.text", "body": "no transaction"]
            let first = try await alice.ok("POST", "/rooms/\(room)/send/m.room.message", content)["event_id"]?.stringValue
            let second = try await alice.ok("POST", "/rooms/\(room)/send/m.room.message", content)["event_id"]?.stringValue
            #expect(first != nil && second != nil && first != second, "\(String(describing: first)) \(String(describing: second))")
            let page = try await alice.ok("GET", "/rooms/\(room)/messages?dir=b&limit=10")
            let sent = (page["chunk"]?.arrayValue ?? []).filter { $0["content"]?["body"] == "no transaction" }
            #expect(sent.map { $0["event_id"]?.stringValue } == [second, first], "\(page)")
            #expect(sent.allSatisfy { $0["unsigned"]?["transaction_id"] == nil }, "\(sent)")
            let notJSONObject = try await alice.call("POST", "/rooms/\(room)/send/m.room.message", ["not", "an", "object"])
            #expect(notJSONObject.status == 400 && notJSONObject.errcode == "M_BAD_JSON", "\(notJSONObject)")
            let outsider = try await bob.call("POST", "/rooms/\(room)/send/m.room.message", content)
            #expect(outsider.status == 403 && outsider.errcode == "M_FORBIDDEN", "\(outsider)")
            let anonymous = try await SuiteClient.raw(
                "POST", context.baseURL + "/_matrix/client/v3/rooms/\(room)/send/m.room.message", body: content, token: nil
            )
            #expect(anonymous.status == 401 && anonymous.errcode == "M_MISSING_TOKEN", "\(anonymous)")
        },
        ClientScenario(name: "profiles can be looked up without a token, which when sent must be valid") { context in
            let alice = try await context.user()
            try await alice.ok("PUT", "/profile/\(SuiteClient.escape(alice.userID))/displayname", ["displayname": "Legacy Alice"])
            let profileURL = context.baseURL + "/_matrix/client/v3/profile/\(SuiteClient.escape(alice.userID))"
            let whole = try await SuiteClient.raw("GET", profileURL, body: nil, token: nil)
            #expect(whole.status == 200 && whole.json == ["displayname": "Legacy Alice"], "\(whole)")
            let name = try await SuiteClient.raw("GET", profileURL + "/displayname", body: nil, token: nil)
            #expect(name.status == 200 && name.json == ["displayname": "Legacy Alice"], "\(name)")
            let legacyPrefix = try await SuiteClient.raw(
                "GET", context.baseURL + "/_matrix/client/r0/profile/\(SuiteClient.escape(alice.userID))/displayname", body: nil, token: nil
            )
            #expect(legacyPrefix.status == 200 && legacyPrefix.json == ["displayname": "Legacy Alice"], "\(legacyPrefix)")
            let badToken = try await SuiteClient.raw("GET", profileURL, body: nil, token: "not-a-real-token")
            #expect(badToken.status == 401 && badToken.errcode == "M_UNKNOWN_TOKEN", "\(badToken)")
            let authenticated = try await alice.ok("GET", "/profile/\(SuiteClient.escape(alice.userID))")
            #expect(authenticated == ["displayname": "Legacy Alice"], "\(authenticated)")
            let nobody = try await SuiteClient.raw(
                "GET", context.baseURL + "/_matrix/client/v3/profile/\(SuiteClient.escape("@nobody-here:\(context.serverName)"))", body: nil, token: nil
            )
            // The spec gives only the status; Synapse 1.163 answers M_UNKNOWN ("No row found"), Axon M_NOT_FOUND.
            #expect(nobody.status == 404, "\(nobody)")
            let invalid = try await SuiteClient.raw("GET", context.baseURL + "/_matrix/client/v3/profile/not-a-user-id", body: nil, token: nil)
            #expect(invalid.status == 400 && invalid.errcode == "M_INVALID_PARAM", "\(invalid)")
        },
        ClientScenario(name: "admin/whois answers for oneself and refuses other users to non-admins") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let own = try await alice.ok("GET", "/admin/whois/\(SuiteClient.escape(alice.userID))")
            #expect(own["user_id"]?.stringValue == alice.userID, "\(own)")
            let devices = own["devices"]?.objectValue ?? [:]
            #expect(!devices.isEmpty, "\(own)")
            for device in devices.values {
                let sessions = device["sessions"]?.arrayValue
                #expect(sessions?.isEmpty == false && sessions?.allSatisfy { $0["connections"]?.arrayValue != nil } == true, "\(own)")
            }
            let other = try await bob.call("GET", "/admin/whois/\(SuiteClient.escape(alice.userID))")
            #expect(other.status == 403 && other.errcode == "M_FORBIDDEN", "\(other)")
            let anonymous = try await SuiteClient.raw(
                "GET", context.baseURL + "/_matrix/client/v3/admin/whois/\(SuiteClient.escape(alice.userID))", body: nil, token: nil
            )
            #expect(anonymous.status == 401 && anonymous.errcode == "M_MISSING_TOKEN", "\(anonymous)")
        },
        ClientScenario(name: "GET /events streams what is new in joined rooms after its token, waking a waiting request") { context in
            let alice = try await context.user()
            let roomID = try await alice.createRoom()
            let now = try await alice.ok("GET", "/events?timeout=0")
            #expect(now["chunk"]?.arrayValue != nil && now["start"]?.stringValue != nil, "\(now)")
            let from = try #require(now["end"]?.stringValue, "\(now)")
            let first = try await alice.send(roomID, "first")
            let second = try await alice.send(roomID, "second")
            let third = try await alice.send(roomID, "third")
            func messages(_ reply: JSONValue) -> [String?] {
                (reply["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }.map { $0["event_id"]?.stringValue }
            }
            let page = try await alice.ok("GET", "/events?timeout=0&limit=2&from=\(SuiteClient.escape(from))")
            #expect(messages(page) == [first, second], "the oldest events after the token come first: \(page)")
            #expect(page["start"]?.stringValue == from, "\(page)")
            #expect((page["chunk"]?.arrayValue ?? []).first { $0["type"] == "m.room.message" }?["room_id"]?.stringValue == roomID, "\(page)")
            let next = try #require(page["end"]?.stringValue, "\(page)")
            let rest = try await alice.ok("GET", "/events?timeout=0&from=\(SuiteClient.escape(next))")
            #expect(messages(rest) == [third], "\(rest) after \(page)")
            let end = try #require(rest["end"]?.stringValue, "\(rest)")
            async let waiting = alice.ok("GET", "/events?timeout=10000&from=\(SuiteClient.escape(end))")
            try await Task.sleep(for: .milliseconds(300))
            let fourth = try await alice.send(roomID, "fourth")
            let woken = try await waiting
            #expect(messages(woken) == [fourth], "\(woken)")
            // The user's own membership changes come too, from rooms they are not in: an invite.
            let beforeInvite = try #require(woken["end"]?.stringValue, "\(woken)")
            let bob = try await context.user()
            let otherRoom = try await bob.createRoom()
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(otherRoom))/invite", ["user_id": .string(alice.userID)])
            let invited = try await alice.ok("GET", "/events?timeout=5000&from=\(SuiteClient.escape(beforeInvite))")
            let invite = (invited["chunk"]?.arrayValue ?? []).first { $0["type"] == "m.room.member" && $0["room_id"]?.stringValue == otherRoom }
            #expect(invite?["state_key"]?.stringValue == alice.userID && invite?["content"]?["membership"] == "invite", "\(invited)")
            let bad = try await alice.call("GET", "/events?timeout=0&from=not-a-token")
            #expect(bad.status == 400, "\(bad)")
        },
        ClientScenario(name: "GET /initialSync lists joined, invited and (with archived) left rooms with messages, state and account data") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let joinedID = try await alice.createRoom(["name": "Kept"])
            let joined = SuiteClient.escape(joinedID)
            for text in ["one", "two", "three"] { _ = try await alice.send(joinedID, text) }
            let invitedID = try await bob.createRoom()
            try await bob.ok("POST", "/rooms/\(SuiteClient.escape(invitedID))/invite", ["user_id": .string(alice.userID)])
            let leftID = try await bob.createRoom(["preset": "public_chat"])
            try await alice.ok("POST", "/rooms/\(SuiteClient.escape(leftID))/join", [:])
            try await alice.ok("POST", "/rooms/\(SuiteClient.escape(leftID))/leave", [:])
            let user = SuiteClient.escape(alice.userID)
            try await alice.ok("PUT", "/user/\(user)/account_data/org.example.legacy", ["kept": true])
            try await alice.ok("PUT", "/user/\(user)/rooms/\(joined)/tags/u.work", ["order": 0.5])

            let snapshot = try await alice.ok("GET", "/initialSync?limit=2")
            let rooms = snapshot["rooms"]?.arrayValue ?? []
            func entry(_ roomID: String) -> JSONValue? { rooms.first { $0["room_id"]?.stringValue == roomID } }
            let kept = try #require(entry(joinedID), "\(snapshot)")
            #expect(kept["membership"] == "join" && kept["visibility"] == "private", "\(kept)")
            let chunk = kept["messages"]?["chunk"]?.arrayValue ?? []
            #expect(chunk.compactMap { $0["content"]?["body"]?.stringValue } == ["two", "three"], "\(kept)")
            #expect((kept["state"]?.arrayValue ?? []).contains { $0["type"] == "m.room.name" }, "\(kept)")
            #expect((kept["account_data"]?.arrayValue ?? []).contains { $0["type"] == "m.tag" && $0["content"]?["tags"]?["u.work"] != nil }, "\(kept)")
            let invited = try #require(entry(invitedID), "\(snapshot)")
            #expect(invited["membership"] == "invite" && invited["inviter"]?.stringValue == bob.userID, "\(invited)")
            #expect(invited["invite"]?["content"]?["membership"] == "invite", "\(invited)")
            #expect(entry(leftID) == nil, "left rooms only with archived: \(snapshot)")
            #expect((snapshot["account_data"]?.arrayValue ?? []).contains { $0["type"] == "org.example.legacy" && $0["content"] == ["kept": true] }, "\(snapshot)")
            #expect(snapshot["presence"]?.arrayValue != nil && snapshot["receipts"]?.arrayValue != nil, "\(snapshot)")

            // `messages.start` pages back to what the limit left out; `end` continues the event stream.
            let start = try #require(kept["messages"]?["start"]?.stringValue, "\(kept)")
            let older = try await alice.ok("GET", "/rooms/\(joined)/messages?dir=b&limit=1&from=\(SuiteClient.escape(start))")
            #expect(older["chunk"]?.arrayValue?.first?["content"]?["body"] == "one", "\(older)")
            let end = try #require(snapshot["end"]?.stringValue, "\(snapshot)")
            let after = try await alice.send(joinedID, "after the snapshot")
            let streamed = try await alice.ok("GET", "/events?timeout=5000&from=\(SuiteClient.escape(end))")
            let streamedIDs = (streamed["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }.map { $0["event_id"]?.stringValue }
            #expect(streamedIDs == [after], "\(streamed)")

            let archived = try await alice.ok("GET", "/initialSync?limit=2&archived=true")
            let left = (archived["rooms"]?.arrayValue ?? []).first { $0["room_id"]?.stringValue == leftID }
            #expect(left?["membership"] == "leave" && left?["visibility"] == "private", "\(archived)")
        },
        ClientScenario(name: "GET /rooms/{roomId}/initialSync for a member, and up to the leave after leaving") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/rooms/\(room)/join", [:])
            let said = try await alice.send(roomID, "while bob is here")
            let member = try await bob.ok("GET", "/rooms/\(room)/initialSync?limit=10")
            #expect(member["room_id"]?.stringValue == roomID && member["membership"] == "join", "\(member)")
            #expect((member["messages"]?["chunk"]?.arrayValue ?? []).last?["event_id"]?.stringValue == said, "\(member)")
            #expect((member["state"]?.arrayValue ?? []).contains { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == bob.userID }, "\(member)")
            #expect(member["presence"]?.arrayValue != nil && member["receipts"]?.arrayValue != nil && member["account_data"]?.arrayValue != nil, "\(member)")
            try await bob.ok("POST", "/rooms/\(room)/leave", [:])
            _ = try await alice.send(roomID, "after bob left")
            let departed = try await bob.ok("GET", "/rooms/\(room)/initialSync?limit=10")
            #expect(departed["membership"] == "leave", "\(departed)")
            let bodies = (departed["messages"]?["chunk"]?.arrayValue ?? []).compactMap { $0["content"]?["body"]?.stringValue }
            #expect(bodies.contains("while bob is here") && !bodies.contains("after bob left"), "\(departed)")
            let ownMember = (departed["state"]?.arrayValue ?? []).first { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == bob.userID }
            #expect(ownMember?["content"]?["membership"] == "leave", "the state as of the leave: \(departed)")
        },
    ]
}
