import AxonTesting
import HTTPTypes
import HummingbirdTesting
import MatrixTypes
import NIOCore
import Storage
import Testing

/// The `rc_*` limits on room actions, applied where Synapse applies them, through the real composition on both
/// engines. Each test tightens only the limit it is about.
@Suite struct RoomRateLimitTests {
    static let tight = "{per_second: 0, burst_count: 2}"

    @Test func rcMessageCountsStateEventsRedactionsAndMembershipNotOnlySends() async throws {
        try await AccountTestServer.run(["rc_message": "{per_second: 0, burst_count: 4}"]) { client in
            let alice = try await client.register("msg-alice")
            let room = try await client.createRoom(alice)
            let sent = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/send/m.room.message/t1", ["body": "hi"], token: alice.token)
            let eventID = try #require(sent.json["event_id"]?.stringValue)
            let topic = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/state/m.room.topic", ["topic": "t"], token: alice.token)
            #expect(topic.status == 200, "\(topic)")
            let redaction = try await client.call(
                .put, "/_matrix/client/v3/rooms/\(room.escaped)/redact/\(AccountClient.queryEncoded(eventID))/r1", [:], token: alice.token
            )
            #expect(redaction.status == 200, "\(redaction)")
            let stateRefused = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/state/m.room.name", ["name": "n"], token: alice.token)
            #expect(stateRefused.status == 429, "createRoom, send, state and redaction used the burst: \(stateRefused)")
            #expect(stateRefused.errcode == "M_LIMIT_EXCEEDED")
            #expect(stateRefused.json["retry_after_ms"]?.integerValue != nil, "per_second 0 answers with a bounded wait, not a crash")
            let leave = try await client.call(.post, "/_matrix/client/v3/rooms/\(room.escaped)/leave", [:], token: alice.token)
            #expect(leave.status == 429, "a membership change is an event too: \(leave)")
        }
    }

    @Test func aThrottledRouteIsRefusedBeforeItsBodyIsRead() async throws {
        try await AccountTestServer.run(["rc_message": "{per_second: 0, burst_count: 2}"]) { client in
            let alice = try await client.register("early-alice")
            let room = try await client.createRoom(alice)
            let path = "/_matrix/client/v3/rooms/\(room.escaped)/send/m.room.message/"
            #expect(try await client.call(.put, path + "a", ["body": "hi"], token: alice.token).status == 200)
            let malformed = try await client.raw(.put, path + "b", body: "{not json", token: alice.token)
            #expect(malformed.status == 429, "the limiter answers before the body is parsed: \(malformed)")
        }
    }

    @Test func roomCreationIsLimitedPerCreator() async throws {
        try await AccountTestServer.run(["rc_room_creation": Self.tight]) { client in
            let alice = try await client.register("create-alice")
            let bob = try await client.register("create-bob")
            for _ in 0..<2 { _ = try await client.createRoom(alice) }
            let third = try await client.call(.post, "/_matrix/client/v3/createRoom", [:], token: alice.token)
            #expect(third.status == 429, "\(third)")
            #expect(third.errcode == "M_LIMIT_EXCEEDED")
            _ = try await client.createRoom(bob)
        }
    }

    @Test func localJoinsAreLimitedPerUserAndRejoiningAJoinedRoomIsFree() async throws {
        try await AccountTestServer.run(["rc_joins": "{local: \(Self.tight)}"]) { client in
            let alice = try await client.register("join-alice")
            let bob = try await client.register("join-bob")
            var rooms: [TestRoom] = []
            for _ in 0..<3 { rooms.append(try await client.createRoom(alice, ["preset": "public_chat"])) }
            for room in rooms.prefix(2) { #expect(try await client.join(bob, room).status == 200) }
            #expect(try await client.join(bob, rooms[0]).status == 200, "already joined: not a join for rc_joins")
            let third = try await client.join(bob, rooms[2])
            #expect(third.status == 429, "\(third)")
            let byState = try await client.call(
                .put, "/_matrix/client/v3/rooms/\(rooms[2].escaped)/state/m.room.member/\(AccountClient.queryEncoded(bob.userID))",
                ["membership": "join"], token: bob.token
            )
            #expect(byState.status == 429, "a join sent as a state event is a join too: \(byState)")
        }
    }

    @Test func joinsPerRoomAreLimitedWhoeverJoins() async throws {
        try await AccountTestServer.run(["rc_joins_per_room": Self.tight]) { client in
            let alice = try await client.register("perroom-alice")
            let room = try await client.createRoom(alice, ["preset": "public_chat"])
            let other = try await client.createRoom(alice, ["preset": "public_chat"])
            var joiners: [Session] = []
            for index in 0..<3 { joiners.append(try await client.register("perroom-\(index)")) }
            #expect(try await client.join(joiners[0], room).status == 200)
            #expect(try await client.join(joiners[1], room).status == 200)
            let third = try await client.join(joiners[2], room)
            #expect(third.status == 429, "\(third)")
            #expect(try await client.join(joiners[2], other).status == 200, "the bucket is the room's")
        }
    }

    @Test func invitesAreLimitedPerRoomPerInviteeAndPerIssuer() async throws {
        try await AccountTestServer.run(["rc_invites": "{per_room: \(Self.tight)}"]) { client in
            let alice = try await client.register("inv-room-alice")
            let room = try await client.createRoom(alice)
            for index in 0..<2 { #expect(try await client.invite(alice, "@inv-room-\(index):axon.test", room).status == 200) }
            #expect(try await client.invite(alice, "@inv-room-9:axon.test", room).status == 429)
            let other = try await client.createRoom(alice)
            #expect(try await client.invite(alice, "@inv-room-9:axon.test", other).status == 200)
        }
        try await AccountTestServer.run(["rc_invites": "{per_user: \(Self.tight)}"]) { client in
            let alice = try await client.register("inv-user-alice")
            var rooms: [TestRoom] = []
            for _ in 0..<3 { rooms.append(try await client.createRoom(alice)) }
            for room in rooms.prefix(2) { #expect(try await client.invite(alice, "@target:axon.test", room).status == 200) }
            #expect(try await client.invite(alice, "@target:axon.test", rooms[2]).status == 429, "one invitee, any room")
            #expect(try await client.invite(alice, "@someone-else:axon.test", rooms[2]).status == 200)
        }
        try await AccountTestServer.run(["rc_invites": "{per_issuer: \(Self.tight)}"]) { client in
            let alice = try await client.register("inv-issuer-alice")
            let bob = try await client.register("inv-issuer-bob")
            let room = try await client.createRoom(alice, ["preset": "public_chat"])
            _ = try await client.join(bob, room)
            for index in 0..<2 { #expect(try await client.invite(alice, "@issued-\(index):axon.test", room).status == 200) }
            #expect(try await client.invite(alice, "@issued-9:axon.test", room).status == 429)
            #expect(try await client.invite(bob, "@issued-9:axon.test", room).status == 403, "bob may not invite, but was not throttled")
        }
    }

    @Test func createRoomChecksItsInviteListAgainstThePerRoomAllowanceAndCapsBothLists() async throws {
        try await AccountTestServer.run(["rc_invites": "{per_room: \(Self.tight)}"]) { client in
            let alice = try await client.register("cap-alice")
            let three = try await client.call(
                .post, "/_matrix/client/v3/createRoom", ["invite": ["@a:axon.test", "@b:axon.test", "@c:axon.test"]], token: alice.token
            )
            #expect(three.status == 400, "\(three)")
            let two = try await client.call(.post, "/_matrix/client/v3/createRoom", ["invite": ["@a:axon.test", "@b:axon.test"]], token: alice.token)
            #expect(two.status == 200, "\(two)")
        }
        try await AccountTestServer.run { client in
            let alice = try await client.register("caps-alice")
            let before = try await client.tableCount("events")
            let invites = JSONValue.array((0...100).map { .string("@invitee\($0):axon.test") })
            let tooMany = try await client.call(.post, "/_matrix/client/v3/createRoom", ["invite": invites], token: alice.token)
            #expect(tooMany.status == 400 && tooMany.errcode == "M_INVALID_PARAM", "\(tooMany)")
            let state = JSONValue.array((0...256).map { ["type": "m.custom", "state_key": .string("\($0)"), "content": [:]] })
            let tooMuch = try await client.call(.post, "/_matrix/client/v3/createRoom", ["initial_state": state], token: alice.token)
            #expect(tooMuch.status == 400 && tooMuch.errcode == "M_INVALID_PARAM", "\(tooMuch)")
            #expect(try await client.tableCount("events") == before)
        }
    }

    @Test func aProfileChangeCostsOneMessageActionHoweverManyRoomsItReaches() async throws {
        try await AccountTestServer.run(["rc_message": "{per_second: 0, burst_count: 5}"]) { client in
            let alice = try await client.register("profile-alice")
            for _ in 0..<3 { _ = try await client.createRoom(alice) }
            let path = "/_matrix/client/v3/profile/\(AccountClient.queryEncoded(alice.userID))/displayname"
            #expect(try await client.call(.put, path, ["displayname": "Alice"], token: alice.token).status == 200)
            #expect(try await client.call(.put, path, ["displayname": "Alice 2"], token: alice.token).status == 200)
            let third = try await client.call(.put, path, ["displayname": "Alice 3"], token: alice.token)
            #expect(third.status == 429, "three rooms and two changes: five actions, not nine: \(third)")
        }
    }

    @Test func profileLookupsAreLimitedPerRequester() async throws {
        try await AccountTestServer.run(["rc_profile": Self.tight]) { client in
            let alice = try await client.register("lookup-alice")
            let bob = try await client.register("lookup-bob")
            let path = "/_matrix/client/v3/profile/\(AccountClient.queryEncoded(alice.userID))"
            #expect(try await client.call(.get, path, token: bob.token).status == 200)
            #expect(try await client.call(.get, path + "/displayname", token: bob.token).status == 200)
            #expect(try await client.call(.get, path, token: bob.token).status == 429)
            #expect(try await client.call(.get, path, token: alice.token).status == 200, "buckets are per requester")
        }
    }

    @Test func typingReceiptsAndAccountDataHaveABoundedCostPerUser() async throws {
        let settings = ["rc_typing": Self.tight, "rc_receipts": Self.tight, "rc_account_data": Self.tight]
        try await AccountTestServer.run(settings) { client in
            let alice = try await client.register("bounded-alice")
            let bob = try await client.register("bounded-bob")
            let room = try await client.createRoom(alice, ["preset": "public_chat"])
            _ = try await client.join(bob, room)
            let sent = try await client.call(.put, "/_matrix/client/v3/rooms/\(room.escaped)/send/m.room.message/r", ["body": "hi"], token: alice.token)
            let rawEventID = try #require(sent.json["event_id"]?.stringValue)
            let eventID = AccountClient.queryEncoded(rawEventID)
            let user = AccountClient.queryEncoded(alice.userID)
            let requests: [(HTTPRequest.Method, String, JSONValue)] = [
                (.put, "/_matrix/client/v3/rooms/\(room.escaped)/typing/\(user)", ["typing": true, "timeout": 1000]),
                (.post, "/_matrix/client/v3/rooms/\(room.escaped)/receipt/m.read/\(eventID)", [:]),
                (.put, "/_matrix/client/v3/user/\(user)/account_data/m.example", ["a": 1]),
            ]
            for (method, path, body) in requests {
                for _ in 0..<2 { #expect(try await client.call(method, path, body, token: alice.token).status == 200, "\(path)") }
                let refused = try await client.call(method, path, body, token: alice.token)
                #expect(refused.status == 429 && refused.errcode == "M_LIMIT_EXCEEDED", "\(path): \(refused)")
            }
            let markers = try await client.call(
                .post, "/_matrix/client/v3/rooms/\(room.escaped)/read_markers", ["m.read": .string(rawEventID)], token: alice.token
            )
            #expect(markers.status == 429, "read markers share the receipts bucket: \(markers)")
            let bobTyping = "/_matrix/client/v3/rooms/\(room.escaped)/typing/\(AccountClient.queryEncoded(bob.userID))"
            #expect(try await client.call(.put, bobTyping, ["typing": true], token: bob.token).status == 200, "buckets are per user")
        }
    }

    @Test func aBodyOnARouteThatReadsNoneIsRefused() async throws {
        try await AccountTestServer.run { client in
            let alice = try await client.register("body-alice")
            let whoami = try await client.raw(.get, "/_matrix/client/v3/account/whoami", body: #"{"a":1}"#, token: alice.token)
            #expect(whoami.status == 400 && whoami.errcode == "M_BAD_JSON", "\(whoami)")
            let emptyObject = try await client.raw(.get, "/_matrix/client/v3/account/whoami", body: " {} ", token: alice.token)
            #expect(emptyObject.status == 200, "the {} many clients send with every request is accepted: \(emptyObject)")
            let versions = try await client.raw(.get, "/_matrix/client/versions", body: String(repeating: "x", count: 100_000), token: nil)
            #expect(versions.status == 413 && versions.errcode == "M_TOO_LARGE", "refused unread: \(versions)")
            #expect(try await client.raw(.get, "/_matrix/client/v3/account/whoami", body: nil, token: alice.token).status == 200)
        }
    }
}

/// A room created for a test, with its ID percent-encoded for paths.
struct TestRoom {
    let id: String
    var escaped: String { AccountClient.queryEncoded(id) }
}

extension AccountClient {
    func createRoom(_ session: Session, _ body: JSONValue = [:]) async throws -> TestRoom {
        let reply = try await call(.post, "/_matrix/client/v3/createRoom", body, token: session.token)
        try #require(reply.status == 200, "\(reply)")
        return TestRoom(id: try #require(reply.json["room_id"]?.stringValue))
    }

    func join(_ session: Session, _ room: TestRoom) async throws -> Reply {
        try await call(.post, "/_matrix/client/v3/rooms/\(room.escaped)/join", [:], token: session.token)
    }

    func invite(_ session: Session, _ user: String, _ room: TestRoom) async throws -> Reply {
        try await call(.post, "/_matrix/client/v3/rooms/\(room.escaped)/invite", ["user_id": .string(user)], token: session.token)
    }

    /// Sends `body` as it is, not as JSON the client encoded: malformed, or on a route that reads none.
    func raw(_ method: HTTPRequest.Method, _ path: String, body: String?, token: String?) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let json = (try? JSONValue.parse(response.body.readableBytesView)) ?? .null
        return Reply(status: Int(response.status.code), json: json)
    }

    /// Rows in `table` of the server's database.
    func tableCount(_ table: String) async throws -> Int64 {
        try await database.read { try $0.queryValue("SELECT count(*) FROM \(table)", as: Int64.self) }
    }
}
