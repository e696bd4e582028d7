import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// `GET`/`PUT /presence/{userId}/status` and the `presence` section of `/sync`.
extension ClientScenarios {
    static let presence: [ClientScenario] = [
        ClientScenario(name: "Presence status: set your own, read it back in Synapse's shape, seen only by users sharing a room") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let path = "/presence/\(SuiteClient.escape(alice.userID))/status"
            let never = try await alice.ok("GET", path)
            #expect(never == ["presence": "offline"], "\(never)")

            #expect(try await alice.ok("PUT", path, ["presence": "online", "status_msg": "at lunch"]) == [:])
            let online = try await alice.ok("GET", path)
            #expect(online["presence"] == "online" && online["status_msg"] == "at lunch", "\(online)")
            #expect(online["currently_active"] == .bool(true), "\(online)")
            #expect((online["last_active_ago"]?.integerValue).map { $0 >= 0 } == true, "\(online)")

            // A new status without a message clears it; away from online, `currently_active` goes.
            #expect(try await alice.ok("PUT", path, ["presence": "unavailable"]) == [:])
            let away = try await alice.ok("GET", path)
            #expect(away["presence"] == "unavailable" && away["status_msg"] == nil && away["currently_active"] == nil, "\(away)")
            #expect(away["last_active_ago"]?.integerValue != nil, "\(away)")

            let invalid = try await alice.call("PUT", path, ["presence": "away"])
            #expect(invalid.status == 400, "\(invalid)")
            let missing = try await alice.call("PUT", path, ["status_msg": "no state"])
            #expect(missing.status == 400, "\(missing)")
            let notText = try await alice.call("PUT", path, ["presence": "online", "status_msg": 5])
            #expect(notText.status == 400, "\(notText)")
            #expect(try await alice.ok("GET", path)["presence"] == "unavailable")

            let someoneElses = try await bob.call("PUT", path, ["presence": "online"])
            #expect(someoneElses.status == 403 && someoneElses.errcode == "M_FORBIDDEN", "\(someoneElses)")
            let stranger = try await bob.call("GET", path)
            #expect(stranger.status == 403 && stranger.errcode == "M_FORBIDDEN", "\(stranger)")
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            _ = try await bob.ok("POST", "/join/\(SuiteClient.escape(roomID))", [:])
            let shared = try await bob.ok("GET", path)
            #expect(shared["presence"] == "unavailable", "\(shared)")
        },
        ClientScenario(name: "Presence in /sync: users sharing a room, only changes after the token; set_presence sets it") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let carol = try await context.user()
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            _ = try await bob.ok("POST", "/join/\(SuiteClient.escape(roomID))", [:])
            func sync(_ client: SuiteClient, since: String? = nil, timeout: Int = 0, set: String = "offline") async throws -> JSONValue {
                let query = ["timeout=\(timeout)", "set_presence=\(set)"] + (since.map { ["since=\(SuiteClient.escape($0))"] } ?? [])
                return try await client.ok("GET", "/sync?" + query.joined(separator: "&"))
            }
            func presence(_ response: JSONValue, of user: SuiteClient) -> [JSONValue] {
                (response["presence"]?["events"]?.arrayValue ?? []).filter { $0["sender"]?.stringValue == user.userID }
            }
            func status(_ user: SuiteClient) -> String { "/presence/\(SuiteClient.escape(user.userID))/status" }

            _ = try await alice.ok("PUT", status(alice), ["presence": "online", "status_msg": "here"])
            _ = try await carol.ok("PUT", status(carol), ["presence": "online"])
            let initial = try await sync(bob)
            let seen = presence(initial, of: alice)
            #expect(seen.count == 1 && seen.first?["type"] == "m.presence", "\(initial)")
            let content = seen.first?["content"] ?? [:]
            #expect(content["presence"] == "online" && content["status_msg"] == "here" && content["currently_active"] == .bool(true), "\(content)")
            #expect(presence(initial, of: carol).isEmpty, "carol shares no room with bob: \(initial)")
            #expect(presence(initial, of: bob).isEmpty, "set_presence=offline leaves bob offline: \(initial)")

            let token = try #require(initial["next_batch"]?.stringValue)
            _ = try await alice.ok("PUT", status(alice), ["presence": "unavailable", "status_msg": "gone"])
            var changed = try await sync(bob, since: token, timeout: 10_000)
            for _ in 0..<5 where presence(changed, of: alice).isEmpty {
                changed = try await sync(bob, since: token, timeout: 10_000)
            }
            let update = presence(changed, of: alice)
            #expect(update.count == 1 && update.first?["content"]?["presence"] == "unavailable", "\(changed)")
            #expect(update.first?["content"]?["status_msg"] == "gone", "\(changed)")

            let next = try #require(changed["next_batch"]?.stringValue)
            let quiet = try await sync(bob, since: next)
            #expect(presence(quiet, of: alice).isEmpty, "nothing changed after the token: \(quiet)")

            // Syncing with set_presence sets the syncing user's presence; the status message stays.
            _ = try await sync(alice, set: "online")
            let afterSync = try await bob.ok("GET", status(alice))
            #expect(afterSync["presence"] == "online" && afterSync["status_msg"] == "gone", "\(afterSync)")

            // The filter's `presence` section applies to the section.
            let unfiltered = try await sync(bob)
            #expect(!presence(unfiltered, of: alice).isEmpty, "\(unfiltered)")
            let withoutAlice: JSONValue = ["presence": ["not_senders": [.string(alice.userID)]]]
            let filtered = try await bob.ok(
                "GET", "/sync?set_presence=offline&filter=" + SuiteClient.escape(String(decoding: withoutAlice.encoded(), as: UTF8.self))
            )
            #expect(presence(filtered, of: alice).isEmpty, "\(filtered)")
        },
    ]
}
