import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// OpenID tokens and the federation userinfo check, `/context` with lazy-loaded members, erasure on deactivation, and
/// the canonical-JSON limits on event content in rooms v6 and later.
extension ClientScenarios {
    static let openIDAndErasure: [ClientScenario] = [
        ClientScenario(name: "OpenID tokens are issued only for oneself and checked by the federation userinfo endpoint") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let issued = try await alice.ok("POST", "/user/\(SuiteClient.escape(alice.userID))/openid/request_token", [:])
            #expect(issued["token_type"] == "Bearer" && issued["expires_in"] == 3600, "\(issued)")
            #expect(issued["matrix_server_name"]?.stringValue == context.serverName, "\(issued)")
            let token = try #require(issued["access_token"]?.stringValue)
            let another = try await alice.ok("POST", "/user/\(SuiteClient.escape(alice.userID))/openid/request_token", ["any": "content"])
            #expect(another["access_token"]?.stringValue != token, "each request gets a new token")

            let userInfo = context.baseURL + "/_matrix/federation/v1/openid/userinfo"
            for held in [token, try #require(another["access_token"]?.stringValue)] {
                let known = try await SuiteClient.raw("GET", userInfo + "?access_token=\(SuiteClient.escape(held))", body: nil, token: nil)
                #expect(known.status == 200 && known.json == ["sub": .string(alice.userID)], "\(known)")
            }
            let unknown = try await SuiteClient.raw("GET", userInfo + "?access_token=notatoken", body: nil, token: nil)
            #expect(unknown.status == 401 && unknown.errcode == "M_UNKNOWN_TOKEN", "\(unknown)")
            let clientToken = try await SuiteClient.raw("GET", userInfo + "?access_token=\(SuiteClient.escape(alice.accessToken))", body: nil, token: nil)
            #expect(clientToken.status == 401 && clientToken.errcode == "M_UNKNOWN_TOKEN", "an access token is no OpenID token: \(clientToken)")
            let missing = try await SuiteClient.raw("GET", userInfo, body: nil, token: nil)
            #expect(missing.status == 401 && missing.errcode == "M_MISSING_TOKEN", "\(missing)")
            let asClientToken = try await SuiteClient.raw("GET", context.baseURL + "/_matrix/client/v3/account/whoami", body: nil, token: token)
            #expect(asClientToken.status == 401 && asClientToken.errcode == "M_UNKNOWN_TOKEN", "an OpenID token is no access token: \(asClientToken)")

            let forOther = try await bob.call("POST", "/user/\(SuiteClient.escape(alice.userID))/openid/request_token", [:])
            #expect(forOther.status == 403 && forOther.errcode == "M_FORBIDDEN", "\(forOther)")
            let notObject = try await alice.call("POST", "/user/\(SuiteClient.escape(alice.userID))/openid/request_token", ["not", "an", "object"])
            #expect(notObject.status == 400, "\(notObject)")
            let anonymous = try await SuiteClient.raw(
                "POST", context.baseURL + "/_matrix/client/v3/user/\(SuiteClient.escape(alice.userID))/openid/request_token", body: [:], token: nil
            )
            #expect(anonymous.status == 401 && anonymous.errcode == "M_MISSING_TOKEN", "\(anonymous)")
        },
        ClientScenario(name: "context with lazy_load_members carries only the returned events' senders' memberships") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let carol = try await context.user()
            let dave = try await context.user()
            let roomID = try await alice.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            for member in [bob, carol, dave] { try await member.ok("POST", "/join/\(room)", [:]) }
            _ = try await carol.send(roomID, "from carol")
            let middle = try await bob.send(roomID, "from bob")
            _ = try await alice.send(roomID, "from alice")

            func members(limit: Int, lazy: Bool) async throws -> Set<String> {
                var path = "/rooms/\(room)/context/\(SuiteClient.escape(middle))?limit=\(limit)"
                if lazy { path += "&filter=\(SuiteClient.escape(#"{"lazy_load_members":true}"#))" }
                let reply = try await carol.ok("GET", path)
                let state = reply["state"]?.arrayValue ?? []
                #expect(state.contains { $0["type"] == "m.room.create" }, "other state stays: \(reply)")
                return Set(state.filter { $0["type"] == "m.room.member" }.compactMap { $0["state_key"]?.stringValue })
            }
            let everyone: Set = [alice.userID, bob.userID, carol.userID, dave.userID]
            #expect(try await members(limit: 2, lazy: false) == everyone)
            #expect(try await members(limit: 2, lazy: true) == [carol.userID, bob.userID, alice.userID])
            #expect(try await members(limit: 0, lazy: true) == [bob.userID])
        },
        ClientScenario(name: "deactivating with erase hides one's messages from those who join later, not from those who saw them") { context in
            let alice = try await ErasureAccount.register(context)
            let dave = try await ErasureAccount.register(context)
            let bob = try await context.user()
            let carol = try await context.user()
            let roomID = try await alice.client.createRoom(["preset": "public_chat"])
            let room = SuiteClient.escape(roomID)
            try await bob.ok("POST", "/join/\(room)", [:])
            try await dave.client.ok("POST", "/join/\(room)", [:])
            let kicked = try await context.user()
            let banned = try await context.user()
            for member in [kicked, banned] { try await member.ok("POST", "/join/\(room)", [:]) }
            try await alice.client.ok("POST", "/rooms/\(room)/kick", ["user_id": .string(kicked.userID), "reason": "bye"])
            try await alice.client.ok("POST", "/rooms/\(room)/ban", ["user_id": .string(banned.userID), "reason": "gone"])
            let erased = try await alice.client.send(roomID, "erase me")
            let kept = try await dave.client.send(roomID, "keep me")
            try await alice.deactivate(erase: true)
            try await dave.deactivate(erase: false)
            try await carol.ok("POST", "/join/\(room)", [:])

            func content(_ reader: SuiteClient, _ eventID: String) async throws -> [String: JSONValue] {
                let page = try await reader.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
                let fromMessages = (page["chunk"]?.arrayValue ?? []).first { $0["event_id"]?.stringValue == eventID }
                let fromEvent = try await reader.ok("GET", "/rooms/\(room)/event/\(SuiteClient.escape(eventID))")
                let fromContext = try await reader.ok("GET", "/rooms/\(room)/context/\(SuiteClient.escape(eventID))?limit=0")["event"]
                let sync = try await reader.sync(filter: ["room": ["timeline": ["limit": 50]]])
                let fromSync = sync.timeline(roomID).first { $0["event_id"]?.stringValue == eventID }
                return ["messages": fromMessages?["content"] ?? .null, "event": fromEvent["content"] ?? .null,
                        "context": fromContext?["content"] ?? .null, "sync": fromSync?["content"] ?? .null]
            }
            let late = try await content(carol, erased)
            #expect(late.values.allSatisfy { $0 == [:] }, "a later joiner reads the erased message redacted: \(late)")
            let present = try await content(bob, erased)
            #expect(present.values.allSatisfy { $0["body"] == "erase me" }, "who was joined keeps it: \(present)")
            let notErased = try await content(carol, kept)
            #expect(notErased.values.allSatisfy { $0["body"] == "keep me" }, "deactivation without erase hides nothing: \(notErased)")
            // One's own membership change by the erased user counts as seen while joined when it is a ban, not a kick.
            func ownMembership(_ member: SuiteClient) async throws -> JSONValue? {
                let history = try await member.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
                return (history["chunk"]?.arrayValue ?? []).first { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == member.userID }?["content"]
            }
            let kick = try await ownMembership(kicked)
            #expect(kick == ["membership": "leave"], "\(String(describing: kick))")
            if context.kind.isAxon {
                // Synapse refuses a banned user /messages and /event altogether (and its sync always shows the state
                // at the leave unredacted), so only Axon can show the ban as its member saw it.
                let ban = try await ownMembership(banned)
                #expect(ban?["membership"] == "ban" && ban?["reason"] == "gone", "\(String(describing: ban))")
            }
        },
        ClientScenario(name: "rooms v6 and later refuse floats and integers outside the canonical range anywhere in content") { context in
            let alice = try await context.user()
            let room = SuiteClient.escape(try await alice.createRoom(["room_version": "6"]))
            let limit = (Int64(1) << 53) - 1
            let edges: [(String, JSONValue)] = [("max", .integer(limit)), ("min", .integer(-limit))]
            for (name, number) in edges {
                let sent = try await alice.call("PUT", "/rooms/\(room)/send/m.room.message/edge-\(name)", ["msgtype": "m.text", "body": "x", "n": number])
                #expect(sent.status == 200, "\(name) of the canonical range is accepted: \(sent)")
            }
            let refused: [(String, JSONValue)] = [
                ("above", .integer(limit + 1)), ("below", .integer(-limit - 1)), ("float", .double(1.5)), ("nested", ["deep": [.double(0.25)]]),
            ]
            for (name, number) in refused {
                let message = try await alice.call("PUT", "/rooms/\(room)/send/m.room.message/bad-\(name)", ["msgtype": "m.text", "body": "x", "n": number])
                #expect(message.status == 400 && message.errcode == "M_BAD_JSON", "\(name): \(message)")
                let state = try await alice.call("PUT", "/rooms/\(room)/state/org.example.numbers/\(name)", ["n": number])
                #expect(state.status == 400 && state.errcode == "M_BAD_JSON", "\(name) in state: \(state)")
            }
            // NaN and Infinity are not JSON at all, so they are refused before any room version is considered.
            for literal in ["NaN", "Infinity", "-Infinity"] {
                let sent = try await alice.call("PUT", "/rooms/\(room)/send/m.room.message/literal-\(literal)", text: #"{"msgtype":"m.text","body":"x","n":\#(literal)}"#)
                #expect(sent.status == 400 && sent.errcode == "M_NOT_JSON", "\(literal): \(sent)")
            }
            let page = try await alice.ok("GET", "/rooms/\(room)/messages?dir=b&limit=50")
            let bodies = (page["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" }
            #expect(bodies.count == edges.count, "only the accepted messages were stored: \(page)")
        },
    ]
}

/// A user whose password the scenario knows, so it can deactivate the account through user-interactive auth.
private struct ErasureAccount {
    let client: SuiteClient
    let password: String

    static func register(_ context: SuiteContext) async throws -> ErasureAccount {
        let localpart = "erase\(UUID().uuidString.prefix(8).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        if context.kind.isAxon { TestSecrets.record(password) }
        let body: JSONValue = ["username": .string(localpart), "password": .string(password), "auth": ["type": "m.login.dummy"]]
        let reply = try await SuiteClient.raw("POST", context.baseURL + "/_matrix/client/v3/register", body: body, token: nil)
        guard reply.status == 200, let user = reply.json["user_id"]?.stringValue, let token = reply.json["access_token"]?.stringValue,
            let device = reply.json["device_id"]?.stringValue
        else { throw SuiteFailure("registration failed: \(reply)") }
        if context.kind.isAxon { TestSecrets.record(token) }
        return ErasureAccount(client: SuiteClient(baseURL: context.baseURL, userID: user, deviceID: device, accessToken: token), password: password)
    }

    func deactivate(erase: Bool) async throws {
        let challenge = try await client.call("POST", "/account/deactivate", ["erase": .bool(erase)])
        let session = try #require(challenge.json["session"]?.stringValue, "\(challenge)")
        let auth: JSONValue = [
            "type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(client.userID)],
            "password": .string(password), "session": .string(session),
        ]
        try await client.ok("POST", "/account/deactivate", ["erase": .bool(erase), "auth": auth])
    }
}
