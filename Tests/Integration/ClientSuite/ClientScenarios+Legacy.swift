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
    ]
}
