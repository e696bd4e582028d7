import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Guest accounts (`allow_guest_access`, on for both servers in the suite): registration, joining rooms open to
/// guests, leaving rooms closed to them, the endpoints a guest may use, and upgrading to a full account.
extension ClientScenarios {
    static let guests: [ClientScenario] = [
        ClientScenario(name: "Guests: kind=guest registers a numeric guest that whoami reports as a guest") { context in
            let guest = try await SuiteClient.registerGuest(context)
            #expect(try UserID(guest.userID).localpart.allSatisfy { $0.isASCII && $0.isNumber }, "\(guest.userID)")
            let whoami = try await guest.ok("GET", "/account/whoami")
            #expect(whoami["user_id"]?.stringValue == guest.userID && whoami["is_guest"] == true, "\(whoami)")
            let other = try await SuiteClient.registerGuest(context)
            #expect(other.userID != guest.userID)
            let user = try await context.user()
            #expect(try await user.ok("GET", "/account/whoami")["is_guest"] == false)
        },
        ClientScenario(name: "Guests: join only rooms whose guest access is can_join, then send and set a display name") { context in
            let alice = try await context.user()
            let guest = try await SuiteClient.registerGuest(context)
            let open = try await alice.createRoom(["preset": "public_chat", "initial_state": [guestAccess("can_join")]])
            let closed = try await alice.createRoom(["preset": "public_chat"])
            let refused = try await guest.call("POST", "/join/\(SuiteClient.escape(closed))", [:])
            // Synapse refuses with M_FORBIDDEN ("Guest access not allowed"); the spec names no code for it.
            #expect(refused.status == 403 && refused.errcode == "M_FORBIDDEN", "\(refused)")
            let byRoomID = try await guest.call("POST", "/rooms/\(SuiteClient.escape(closed))/join", [:])
            #expect(byRoomID.status == 403 && byRoomID.errcode == "M_FORBIDDEN", "\(byRoomID)")

            let joined = try await guest.ok("POST", "/join/\(SuiteClient.escape(open))", [:])
            #expect(joined["room_id"]?.stringValue == open, "\(joined)")
            let member = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(open))/state/m.room.member/\(SuiteClient.escape(guest.userID))")
            #expect(member["membership"] == "join" && member["kind"] == "guest", "\(member)")

            let eventID = try await guest.send(open, "hello from a guest")
            let page = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(open))/messages?dir=b&limit=5")
            #expect((page["chunk"]?.arrayValue ?? []).contains { $0["event_id"]?.stringValue == eventID }, "\(page)")

            // Synapse writes the new name into rooms just after answering.
            try await guest.ok("PUT", "/profile/\(SuiteClient.escape(guest.userID))/displayname", ["displayname": "Visitor"])
            let renamed = try await eventually {
                try await alice.ok("GET", "/rooms/\(SuiteClient.escape(open))/state/m.room.member/\(SuiteClient.escape(guest.userID))")
            } until: { $0["displayname"] == "Visitor" }
            #expect(renamed["displayname"] == "Visitor" && renamed["membership"] == "join", "\(renamed)")
            let profile = try await alice.ok("GET", "/profile/\(SuiteClient.escape(guest.userID))")
            #expect(profile["displayname"] == "Visitor", "\(profile)")
            let avatar = try await guest.call("PUT", "/profile/\(SuiteClient.escape(guest.userID))/avatar_url", ["avatar_url": "mxc://a/b"])
            #expect(avatar.status == 403 && avatar.errcode == "M_GUEST_ACCESS_FORBIDDEN", "\(avatar)")

            let synced = try await guest.sync()
            #expect(synced.timeline(open).contains { $0["event_id"]?.stringValue == eventID }, "\(synced)")
            try await guest.ok("POST", "/rooms/\(SuiteClient.escape(open))/leave", [:])
            let left = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(open))/state/m.room.member/\(SuiteClient.escape(guest.userID))")
            #expect(left["membership"] == "leave", "\(left)")
        },
        ClientScenario(name: "Guests: closing a room to guests makes every joined guest leave, and they cannot rejoin") { context in
            let alice = try await context.user()
            let bob = try await context.user()
            let first = try await SuiteClient.registerGuest(context)
            let second = try await SuiteClient.registerGuest(context)
            let roomID = try await alice.createRoom([
                "preset": "public_chat", "initial_state": [guestAccess("can_join")], "power_level_content_override": ["invite": 0],
            ])
            let room = SuiteClient.escape(roomID)
            for member in [first, second] { try await member.ok("POST", "/join/\(room)", [:]) }
            try await bob.ok("POST", "/join/\(room)", [:])
            // An invite a guest sends (as a member event; /invite is not for guests) is marked as the guest's, and
            // is withdrawn with the guests, as Synapse does.
            let carol = try await context.user()
            try await first.ok("PUT", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(carol.userID))", ["membership": "invite"])
            let invite = try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(carol.userID))")
            #expect(invite["membership"] == "invite" && invite["kind"] == "guest", "\(invite)")

            // Any change that is not can_join closes the room; setting it again only repeats it.
            try await alice.ok("PUT", "/rooms/\(room)/state/m.room.guest_access", ["guest_access": "forbidden"])
            for guest in [first, second] {
                let member = try await eventually {
                    try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(guest.userID))")
                } until: { $0["membership"] == "leave" }
                #expect(member["membership"] == "leave", "\(member)")
                let events = try await alice.ok("GET", "/rooms/\(room)/state")
                let event = events.arrayValue?.first { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == guest.userID }
                #expect(event?["sender"]?.stringValue == guest.userID, "the guest leaves itself: \(String(describing: event))")
                let send = try await guest.call("PUT", "/rooms/\(room)/send/m.room.message/\(UUID().uuidString)", ["msgtype": "m.text", "body": "x"])
                #expect(send.status == 403 && send.errcode == "M_FORBIDDEN", "\(send)")
                let rejoin = try await guest.call("POST", "/join/\(room)", [:])
                #expect(rejoin.status == 403 && rejoin.errcode == "M_FORBIDDEN", "\(rejoin)")
            }
            let registered = try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(bob.userID))")
            #expect(registered["membership"] == "join", "registered users stay: \(registered)")
            let withdrawn = try await eventually {
                try await alice.ok("GET", "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(carol.userID))")
            } until: { $0["membership"] == "leave" }
            #expect(withdrawn["membership"] == "leave", "\(withdrawn)")

            try await alice.ok("PUT", "/rooms/\(room)/state/m.room.guest_access", ["guest_access": "can_join"])
            try await first.ok("POST", "/join/\(room)", [:])
            try await first.send(roomID, "back again")
        },
        ClientScenario(
            name: "Guests: a guest that renamed itself still leaves a room closed to guests",
            axonOnly: "Synapse 1.163 rewrites a renamed guest's member events without kind: guest, so closing the room no longer finds that guest; the spec's guest access module has every guest leave"
        ) { context in
            let alice = try await context.user()
            let guest = try await SuiteClient.registerGuest(context)
            let roomID = try await alice.createRoom(["preset": "public_chat", "initial_state": [guestAccess("can_join")]])
            let room = SuiteClient.escape(roomID)
            let memberPath = "/rooms/\(room)/state/m.room.member/\(SuiteClient.escape(guest.userID))"
            try await guest.ok("POST", "/join/\(room)", [:])
            try await guest.ok("PUT", "/profile/\(SuiteClient.escape(guest.userID))/displayname", ["displayname": "Renamed visitor"])
            let renamed = try await alice.ok("GET", memberPath)
            #expect(renamed["displayname"] == "Renamed visitor" && renamed["kind"] == "guest", "\(renamed)")
            try await alice.ok("PUT", "/rooms/\(room)/state/m.room.guest_access", ["guest_access": "forbidden"])
            let member = try await alice.ok("GET", memberPath)
            #expect(member["membership"] == "leave" && member["kind"] == "guest", "\(member)")
        },
        ClientScenario(name: "Guests: endpoints outside the guest allow-list answer 403 M_GUEST_ACCESS_FORBIDDEN") { context in
            let alice = try await context.user()
            let guest = try await SuiteClient.registerGuest(context)
            // Anyone may set state here, so the guest's state change below is allowed by the room too.
            let roomID = try await alice.createRoom([
                "preset": "public_chat", "initial_state": [guestAccess("can_join")], "power_level_content_override": ["state_default": 0],
            ])
            let room = SuiteClient.escape(roomID)
            try await guest.ok("POST", "/join/\(room)", [:])
            let eventID = try await guest.send(roomID, "read me")
            let me = SuiteClient.escape(guest.userID)
            let refused: [(String, String, JSONValue?)] = [
                ("POST", "/createRoom", [:]),
                ("PUT", "/rooms/\(room)/typing/\(me)", ["typing": true, "timeout": 1000]),
                ("POST", "/rooms/\(room)/receipt/m.read/\(SuiteClient.escape(eventID))", [:]),
                ("POST", "/rooms/\(room)/read_markers", ["m.fully_read": .string(eventID)]),
                ("GET", "/user/\(me)/account_data/m.example", nil),
                ("PUT", "/user/\(me)/account_data/m.example", ["a": 1]),
                ("PUT", "/user/\(me)/rooms/\(room)/account_data/m.example", ["a": 1]),
                ("GET", "/user/\(me)/rooms/\(room)/tags", nil),
                ("PUT", "/user/\(me)/rooms/\(room)/tags/u.work", [:]),
                ("POST", "/user/\(me)/filter", ["room": ["timeline": ["limit": 1]]]),
                ("GET", "/presence/\(me)/status", nil),
                ("PUT", "/presence/\(me)/status", ["presence": "online"]),
                ("GET", "/rooms/\(room)/joined_members", nil),
                ("GET", "/rooms/\(room)/aliases", nil),
                ("POST", "/rooms/\(room)/forget", [:]),
                ("PUT", "/rooms/\(room)/redact/\(SuiteClient.escape(eventID))/\(UUID().uuidString)", [:]),
                ("POST", "/knock/\(room)", [:]),
                ("GET", "/account/3pid", nil),
                ("POST", "/logout", [:]),
                ("PUT", "/directory/room/\(SuiteClient.escape("#guest-\(UUID().uuidString.prefix(8).lowercased()):\(context.serverName)"))", ["room_id": .string(roomID)]),
                ("PUT", "/directory/list/room/\(room)", ["visibility": "public"]),
            ]
            for (method, path, body) in refused {
                let reply = try await guest.call(method, path, body)
                #expect(reply.status == 403 && reply.errcode == "M_GUEST_ACCESS_FORBIDDEN", "\(method) \(path): \(reply)")
            }
            // Synapse 1.163 lets guests reach these and refuses the action itself, with M_FORBIDDEN.
            let membershipCode = context.kind.isAxon ? "M_GUEST_ACCESS_FORBIDDEN" : "M_FORBIDDEN"
            for action in ["invite", "kick", "ban", "unban"] {
                let reply = try await guest.call("POST", "/rooms/\(room)/\(action)", ["user_id": .string(alice.userID)])
                #expect(reply.status == 403 && reply.errcode == membershipCode, "\(action): \(reply)")
            }
            let allowed: [(String, String, JSONValue?)] = [
                ("GET", "/account/whoami", nil),
                ("GET", "/capabilities", nil),
                ("GET", "/joined_rooms", nil),
                ("GET", "/devices", nil),
                ("GET", "/devices/\(SuiteClient.escape(guest.deviceID))", nil),
                ("PUT", "/devices/\(SuiteClient.escape(guest.deviceID))", ["display_name": "guest tab"]),
                ("GET", "/publicRooms", nil),
                ("POST", "/publicRooms", [:]),
                ("GET", "/thirdparty/protocols", nil),
                ("GET", "/rooms/\(room)/state", nil),
                ("GET", "/rooms/\(room)/state/m.room.create", nil),
                ("GET", "/rooms/\(room)/members", nil),
                ("GET", "/rooms/\(room)/messages?dir=b", nil),
                ("GET", "/rooms/\(room)/event/\(SuiteClient.escape(eventID))", nil),
                ("GET", "/rooms/\(room)/context/\(SuiteClient.escape(eventID))", nil),
                ("PUT", "/rooms/\(room)/state/m.room.topic", ["topic": "set by a guest"]),
                ("POST", "/rooms/\(room)/send/m.room.message", ["msgtype": "m.text", "body": "no txn"]),
                ("GET", "/sync?timeout=0", nil),
            ]
            for (method, path, body) in allowed {
                let reply = try await guest.call(method, path, body)
                #expect(reply.status == 200, "\(method) \(path): \(reply)")
            }
            let joinedRooms = try await guest.ok("GET", "/joined_rooms")
            #expect(joinedRooms["joined_rooms"]?.arrayValue?.contains(.string(roomID)) == true, "\(joinedRooms)")
        },
        ClientScenario(name: "Guests: registering with the guest's token and name upgrades it to a full account") { context in
            let alice = try await context.user()
            let guest = try await SuiteClient.registerGuest(context)
            let roomID = try await alice.createRoom(["preset": "public_chat", "initial_state": [guestAccess("can_join")]])
            try await guest.ok("POST", "/join/\(SuiteClient.escape(roomID))", [:])
            let localpart = try UserID(guest.userID).localpart
            let register = context.baseURL + "/_matrix/client/v3/register"
            let password = "pw-\(UUID().uuidString)"
            if context.kind.isAxon { TestSecrets.record(password) }

            let numeric = try await SuiteClient.raw(
                "POST", register, body: ["username": .string(localpart), "password": .string(password), "auth": ["type": "m.login.dummy"]], token: nil
            )
            #expect(numeric.status == 400 && numeric.errcode == "M_USER_IN_USE", "a guest's name needs its token: \(numeric)")
            let otherGuest = try await SuiteClient.registerGuest(context)
            for wrong in [otherGuest.accessToken, alice.accessToken] {
                let body: JSONValue = [
                    "username": .string(localpart), "password": .string(password), "guest_access_token": .string(wrong),
                    "auth": ["type": "m.login.dummy"],
                ]
                let refused = try await SuiteClient.raw("POST", register, body: body, token: nil)
                #expect(refused.status == 403 && refused.errcode == "M_FORBIDDEN", "\(refused)")
            }

            let body: JSONValue = [
                "username": .string(localpart), "password": .string(password), "guest_access_token": .string(guest.accessToken),
                "auth": ["type": "m.login.dummy"],
            ]
            let withHeader = try await SuiteClient.raw("POST", register, body: body, token: guest.accessToken)
            #expect(withHeader.status == 400, "the guest's token goes in the body, not the header: \(withHeader)")
            let upgraded = try await SuiteClient.raw("POST", register, body: body, token: nil)
            #expect(upgraded.status == 200 && upgraded.json["user_id"]?.stringValue == guest.userID, "\(upgraded)")
            let token = try #require(upgraded.json["access_token"]?.stringValue)
            if context.kind.isAxon { TestSecrets.record(token) }
            let full = SuiteClient(
                baseURL: context.baseURL, userID: guest.userID, deviceID: upgraded.json["device_id"]?.stringValue ?? "", accessToken: token
            )
            let whoami = try await full.ok("GET", "/account/whoami")
            #expect(whoami["user_id"]?.stringValue == guest.userID && whoami["is_guest"] == false, "\(whoami)")
            let stale = try await guest.call("GET", "/account/whoami")
            #expect(stale.status == 401 && stale.errcode == "M_UNKNOWN_TOKEN", "the guest token stops working: \(stale)")
            #expect(try await full.ok("GET", "/joined_rooms")["joined_rooms"]?.arrayValue?.contains(.string(roomID)) == true)
            try await full.ok("PUT", "/rooms/\(SuiteClient.escape(roomID))/typing/\(SuiteClient.escape(guest.userID))", ["typing": false])
            _ = try await full.createRoom()

            let login = try await SuiteClient.raw(
                "POST", context.baseURL + "/_matrix/client/v3/login",
                body: ["type": "m.login.password", "identifier": ["type": "m.id.user", "user": .string(localpart)], "password": .string(password)],
                token: nil
            )
            #expect(login.status == 200 && login.json["user_id"]?.stringValue == guest.userID, "\(login)")
            if context.kind.isAxon, let loginToken = login.json["access_token"]?.stringValue { TestSecrets.record(loginToken) }
            let again = try await SuiteClient.raw("POST", register, body: body, token: nil)
            #expect(again.status == 401 && again.errcode == "M_UNKNOWN_TOKEN", "the upgrade happens once: \(again)")
        },
    ]

    private static func guestAccess(_ value: String) -> JSONValue {
        ["type": "m.room.guest_access", "state_key": "", "content": ["guest_access": .string(value)]]
    }

    /// Reads until `done` holds, for effects a server may apply just after answering; at most five seconds.
    private static func eventually(
        _ read: () async throws -> JSONValue, until done: (JSONValue) -> Bool
    ) async throws -> JSONValue {
        var value = try await read()
        for _ in 0..<50 where !done(value) {
            try await Task.sleep(for: .milliseconds(100))
            value = try await read()
        }
        return value
    }
}

extension SuiteClient {
    /// Registers a guest (`POST /register?kind=guest`).
    static func registerGuest(_ context: SuiteContext) async throws -> SuiteClient {
        let reply = try await raw("POST", context.baseURL + "/_matrix/client/v3/register?kind=guest", body: [:], token: nil)
        guard reply.status == 200, let user = reply.json["user_id"]?.stringValue, let token = reply.json["access_token"]?.stringValue,
            let device = reply.json["device_id"]?.stringValue
        else { throw SuiteFailure("guest registration failed: \(reply)") }
        if context.kind.isAxon { TestSecrets.record(token) }
        return SuiteClient(baseURL: context.baseURL, userID: user, deviceID: device, accessToken: token)
    }
}
