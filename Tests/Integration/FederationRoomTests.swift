import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Rooms across servers, against a real Synapse: its users join rooms on Axon (make_join, send_join).
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationRoomTests {
    /// Both servers change the power levels at once (each on its own fork of the room), then each writes on top of
    /// what it has: both resolve the fork to the same state.
    static func concurrentPowerLevelChangesResolveAlike(alice: SuiteClient, bob: SuiteClient, room: String) async throws {
        let escaped = SuiteClient.escape(room)
        var levels = try await alice.ok("GET", "/rooms/\(escaped)/state/m.room.power_levels")
        levels["users"]?[bob.userID] = 100
        _ = try await alice.ok("PUT", "/rooms/\(escaped)/state/m.room.power_levels", levels)
        try await ClientReaderTests.eventually("Synapse gives Bob level 100") {
            try await bob.ok("GET", "/rooms/\(escaped)/state/m.room.power_levels")["users"]?[bob.userID] == 100
        }
        var fromAlice = levels
        fromAlice["events_default"] = 10
        var fromBob = levels
        fromBob["state_default"] = 60
        async let sentByAlice = alice.call("PUT", "/rooms/\(escaped)/state/m.room.power_levels", fromAlice)
        async let sentByBob = bob.call("PUT", "/rooms/\(escaped)/state/m.room.power_levels", fromBob)
        let (aliceReply, bobReply) = try await (sentByAlice, sentByBob)
        #expect(aliceReply.status == 200 && bobReply.status == 200, "\(aliceReply) \(bobReply)")
        let both = [aliceReply.json["event_id"]?.stringValue, bobReply.json["event_id"]?.stringValue].compactMap { $0 }
        try await ClientReaderTests.eventually("each server has both changes") {
            for client in [alice, bob] {
                for id in both where try await client.call("GET", "/rooms/\(escaped)/event/\(SuiteClient.escape(id))").status != 200 { return false }
            }
            return true
        }
        // A message from each side builds on every extremity it has, closing the fork.
        _ = try await alice.ok("PUT", "/rooms/\(escaped)/send/m.room.message/merge-a", ["msgtype": "m.text", "body": "merge from Axon"])
        _ = try await bob.ok("PUT", "/rooms/\(escaped)/send/m.room.message/merge-b", ["msgtype": "m.text", "body": "merge from Synapse"])
        var difference = ""
        do {
            try await ClientReaderTests.eventually("both servers hold the same state") {
                let onAxon = try await Self.stateIDs(alice, room)
                let onSynapse = try await Self.stateIDs(bob, room)
                difference = Set(onAxon.keys).union(onSynapse.keys).filter { onAxon[$0] != onSynapse[$0] }
                    .map { "\($0): Axon \(onAxon[$0] ?? "-") Synapse \(onSynapse[$0] ?? "-")" }.joined(separator: "; ")
                return onAxon == onSynapse && onAxon.count > 5
            }
        } catch {
            Issue.record("the servers' states differ: \(difference)")
            throw error
        }
    }

    /// The room's current state as `client` reads it: each slot's event ID.
    static func stateIDs(_ client: SuiteClient, _ room: String) async throws -> [String: String] {
        let reply = try await client.call("GET", "/rooms/\(SuiteClient.escape(room))/state")
        var slots: [String: String] = [:]
        for event in reply.json.arrayValue ?? [] {
            guard let type = event["type"]?.stringValue, let key = event["state_key"]?.stringValue, let id = event["event_id"]?.stringValue else { continue }
            slots["\(type)|\(key)"] = id
        }
        return slots
    }

    /// A full sync of `client`, with a filter that differs each time (it excludes an account data type no one uses):
    /// Synapse answers a repeated sync request from its cache for a while.
    static func freshSync(_ client: SuiteClient) async throws -> JSONValue {
        let filter = #"{"account_data":{"not_types":["x.\#(UUID().uuidString)"]}}"#
        return try await client.ok("GET", "/sync?filter=\(SuiteClient.escape(filter))")
    }

    /// The room's ephemeral events of `type` in a full sync of `client`.
    static func ephemeral(_ client: SuiteClient, _ room: String, _ type: String) async throws -> [JSONValue] {
        let sync = try await freshSync(client)
        return (sync["rooms"]?["join"]?[room]?["ephemeral"]?["events"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == type }
    }

    /// The ID of the room's message with `body`, as `client` sees it.
    static func eventID(_ client: SuiteClient, _ room: String, body: String) async throws -> String? {
        let page = try await client.ok("GET", "/rooms/\(SuiteClient.escape(room))/messages?dir=b&limit=50")
        return page["chunk"]?.arrayValue?.first { $0["content"]?["body"]?.stringValue == body }?["event_id"]?.stringValue
    }

    /// Every event of the room `client` reads paging back `limit` at a time until `/messages` has no `end`, newest first.
    static func pagedBack(_ client: SuiteClient, _ room: String, limit: Int) async throws -> [JSONValue] {
        var events: [JSONValue] = []
        var from: String?
        for _ in 0..<100 {
            let query = "dir=b&limit=\(limit)" + (from.map { "&from=\(SuiteClient.escape($0))" } ?? "")
            let page = try await client.ok("GET", "/rooms/\(SuiteClient.escape(room))/messages?\(query)")
            events += page["chunk"]?.arrayValue ?? []
            guard let end = page["end"]?.stringValue else { return events }
            from = end
        }
        Issue.record("/messages never ended")
        return events
    }

    /// The bodies of the room's messages as `client` sees them, oldest first.
    static func bodies(_ client: SuiteClient, _ room: String) async throws -> [String] {
        let page = try await client.ok("GET", "/rooms/\(SuiteClient.escape(room))/messages?dir=b&limit=50")
        return (page["chunk"]?.arrayValue ?? []).reversed().filter { $0["type"] == "m.room.message" }.compactMap { $0["content"]?["body"]?.stringValue }
    }

    @Test func aSynapseUserJoinsAnAxonRoom() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let room = try #require(try await alice.ok("POST", "/createRoom", [
                "preset": "public_chat", "name": "Across the bridge", "topic": "made on Axon",
            ])["room_id"]?.stringValue)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                for index in 1...3 {
                    _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/early\(index)", [
                        "msgtype": "m.text", "body": .string("before Bob \(index)"),
                    ])
                }
                let joined = try await bob.call("POST", "/join/\(SuiteClient.escape(room))?server_name=\(SuiteClient.escape(axon.serverName))", [:])
                #expect(joined.status == 200 && joined.json["room_id"]?.stringValue == room, "\(joined)")

                // Synapse took the state Axon answered with: the room's name is readable there.
                let name = try await bob.call("GET", "/rooms/\(SuiteClient.escape(room))/state/m.room.name")
                #expect(name.json["name"]?.stringValue == "Across the bridge", "\(name)")
                // Axon added Synapse's signed join to the room.
                let members = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(room))/joined_members")
                #expect(members["joined"]?[bob.userID] != nil, "\(members)")

                // Messages go both ways: Axon's sender delivers to Synapse, Synapse's transactions are staged and added here.
                _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/a1", ["msgtype": "m.text", "body": "hello from Axon"])
                try await ClientReaderTests.eventually("Synapse shows Axon's message") {
                    try await Self.bodies(bob, room).contains("hello from Axon")
                }
                _ = try await bob.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/b1", ["msgtype": "m.text", "body": "hello from Synapse"])
                try await ClientReaderTests.eventually("Axon shows Synapse's message") {
                    try await Self.bodies(alice, room).contains("hello from Synapse")
                }
                // Both sides hold the same history in the same order: Synapse backfilled what was said before Bob joined.
                let seenOnAxon = try await Self.bodies(alice, room)
                let seenOnSynapse = try await Self.bodies(bob, room)
                let history = ["before Bob 1", "before Bob 2", "before Bob 3", "hello from Axon", "hello from Synapse"]
                #expect(seenOnAxon == history && seenOnSynapse == history, "\(seenOnAxon) \(seenOnSynapse)")

                // Typing and read receipts go both ways as EDUs.
                let escaped = SuiteClient.escape(room)
                _ = try await bob.ok("PUT", "/rooms/\(escaped)/typing/\(SuiteClient.escape(bob.userID))", ["typing": true, "timeout": 20000])
                try await ClientReaderTests.eventually("Axon shows Bob typing") {
                    try await Self.ephemeral(alice, room, "m.typing").contains { $0["content"]?["user_ids"]?.arrayValue?.contains(.string(bob.userID)) == true }
                }
                _ = try await alice.ok("PUT", "/rooms/\(escaped)/typing/\(SuiteClient.escape(alice.userID))", ["typing": true, "timeout": 20000])
                try await ClientReaderTests.eventually("Synapse shows Alice typing") {
                    try await Self.ephemeral(bob, room, "m.typing").contains { $0["content"]?["user_ids"]?.arrayValue?.contains(.string(alice.userID)) == true }
                }
                let bobsMessage = try #require(try await Self.eventID(alice, room, body: "hello from Synapse"))
                _ = try await alice.ok("POST", "/rooms/\(escaped)/receipt/m.read/\(SuiteClient.escape(bobsMessage))", [:])
                try await ClientReaderTests.eventually("Synapse shows Alice's receipt") {
                    try await Self.ephemeral(bob, room, "m.receipt").contains { $0["content"]?[bobsMessage]?["m.read"]?[alice.userID] != nil }
                }
                let alicesMessage = try #require(try await Self.eventID(bob, room, body: "hello from Axon"))
                _ = try await bob.ok("POST", "/rooms/\(escaped)/receipt/m.read/\(SuiteClient.escape(alicesMessage))", [:])
                try await ClientReaderTests.eventually("Axon shows Bob's receipt") {
                    try await Self.ephemeral(alice, room, "m.receipt").contains { $0["content"]?[alicesMessage]?["m.read"]?[bob.userID] != nil }
                }

                // Presence goes both ways as EDUs, to servers sharing a room with the user.
                _ = try await alice.ok("PUT", "/presence/\(SuiteClient.escape(alice.userID))/status", ["presence": "online", "status_msg": "on Axon"])
                try await ClientReaderTests.eventually("Synapse shows Alice's presence") {
                    let status = try await bob.ok("GET", "/presence/\(SuiteClient.escape(alice.userID))/status")
                    return status["presence"] == "online" && status["status_msg"] == "on Axon"
                }
                _ = try await bob.ok("PUT", "/presence/\(SuiteClient.escape(bob.userID))/status", ["presence": "unavailable", "status_msg": "on Synapse"])
                try await ClientReaderTests.eventually("Axon shows Bob's presence") {
                    let status = try await alice.ok("GET", "/presence/\(SuiteClient.escape(bob.userID))/status")
                    return status["presence"] == "unavailable" && status["status_msg"] == "on Synapse"
                }

                try await Self.concurrentPowerLevelChangesResolveAlike(alice: alice, bob: bob, room: room)

                // A room whose server ACL denies Synapse's host refuses its user's join.
                let fenced = try #require(try await alice.ok("POST", "/createRoom", [
                    "preset": "public_chat",
                    "initial_state": [["type": "m.room.server_acl", "state_key": "", "content": ["allow": ["*"], "deny": ["127.0.0.1"]]]],
                ])["room_id"]?.stringValue)
                let refused = try await bob.call("POST", "/join/\(SuiteClient.escape(fenced))?server_name=\(SuiteClient.escape(axon.serverName))", [:])
                #expect(refused.status == 403, "\(refused)")

            }
        }
    }

    @Test func anAxonUserJoinsASynapseRoomByAlias() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                let room = try #require(try await bob.ok("POST", "/createRoom", [
                    "preset": "public_chat", "room_alias_name": "meetinghall", "name": "Synapse hall",
                ])["room_id"]?.stringValue)
                let earlier = (1...30).map { "before Alice \($0)" }
                for (index, body) in earlier.enumerated() {
                    _ = try await bob.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/b0-\(index)", ["msgtype": "m.text", "body": .string(body)])
                }

                let joined = try await alice.call("POST", "/join/\(SuiteClient.escape("#meetinghall:\(synapse.serverName)"))", [:])
                #expect(joined.status == 200 && joined.json["room_id"]?.stringValue == room, "\(joined)")
                let sinceJoin = try #require(try await alice.ok("GET", "/sync?timeout=0")["next_batch"]?.stringValue)

                // Paging back past her join, Alice reads what was said before it: Axon fetches it from Synapse
                // (`/backfill`, with `/state` below the oldest event it has), page after page, down to the room's creation.
                let history = try await Self.pagedBack(alice, room, limit: 5)
                let bodiesBefore = history.reversed().filter { $0["type"] == "m.room.message" }.compactMap { $0["content"]?["body"]?.stringValue }
                #expect(bodiesBefore == earlier, "\(bodiesBefore)")
                #expect(history.last?["type"] == "m.room.create", "\(history.last ?? nil)")
                #expect(history.first?["type"] == "m.room.member" && history.first?["state_key"]?.stringValue == alice.userID)
                // Fetched history is older than anything synced: it never comes down as new.
                let after = try await alice.ok("GET", "/sync?timeout=0&since=\(SuiteClient.escape(sinceJoin))")
                let newBodies = (after["rooms"]?["join"]?[room]?["timeline"]?["events"]?.arrayValue ?? []).compactMap { $0["content"]?["body"]?.stringValue }
                #expect(newBodies.allSatisfy { !$0.hasPrefix("before Alice") }, "\(newBodies)")
                // The room's state came with the join: its name and both members are known here.
                let name = try await alice.call("GET", "/rooms/\(SuiteClient.escape(room))/state/m.room.name")
                #expect(name.json["name"]?.stringValue == "Synapse hall", "\(name)")
                let members = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(room))/joined_members")
                #expect(members["joined"]?[bob.userID] != nil && members["joined"]?[alice.userID] != nil, "\(members)")
                // Synapse has Alice's join.
                try await ClientReaderTests.eventually("Synapse lists Alice as joined") {
                    try await bob.ok("GET", "/rooms/\(SuiteClient.escape(room))/joined_members")["joined"]?[alice.userID] != nil
                }

                _ = try await bob.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/b1", ["msgtype": "m.text", "body": "welcome"])
                try await ClientReaderTests.eventually("Axon shows Synapse's message") {
                    try await Self.bodies(alice, room).contains("welcome")
                }
                _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/a1", ["msgtype": "m.text", "body": "thanks"])
                try await ClientReaderTests.eventually("Synapse shows Axon's message") {
                    try await Self.bodies(bob, room).contains("thanks")
                }
                // Display names, typing and receipts in the room Synapse holds.
                let namesOnSynapse = try await bob.ok("GET", "/rooms/\(SuiteClient.escape(room))/joined_members")
                #expect(namesOnSynapse["joined"]?[alice.userID]?["display_name"]?.stringValue == String(alice.userID.dropFirst().prefix { $0 != ":" }))
                _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/typing/\(SuiteClient.escape(alice.userID))", ["typing": true, "timeout": 20000])
                try await ClientReaderTests.eventually("Synapse shows Alice typing in its room") {
                    try await Self.ephemeral(bob, room, "m.typing").contains { $0["content"]?["user_ids"]?.arrayValue?.contains(.string(alice.userID)) == true }
                }
                let welcome = try #require(try await Self.eventID(alice, room, body: "welcome"))
                _ = try await alice.ok("POST", "/rooms/\(SuiteClient.escape(room))/receipt/m.read/\(SuiteClient.escape(welcome))", [:])
                try await ClientReaderTests.eventually("Synapse shows Alice's receipt in its room") {
                    try await Self.ephemeral(bob, room, "m.receipt").contains { $0["content"]?[welcome]?["m.read"]?[alice.userID] != nil }
                }
                // Alice's sync has the room, with its state.
                let sync = try await Self.freshSync(alice)
                #expect(sync["rooms"]?["join"]?[room] != nil, "\(sync)")

                // Alice leaves (Synapse sees it), joins again through Synapse, and her room carries on from the new join.
                _ = try await alice.ok("POST", "/rooms/\(SuiteClient.escape(room))/leave", [:])
                try await ClientReaderTests.eventually("Synapse sees Alice leave") {
                    try await bob.ok("GET", "/rooms/\(SuiteClient.escape(room))/joined_members")["joined"]?[alice.userID] == nil
                }
                let rejoined = try await alice.call("POST", "/join/\(SuiteClient.escape("#meetinghall:\(synapse.serverName)"))", [:])
                #expect(rejoined.status == 200, "\(rejoined)")
                let again = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/a2", ["msgtype": "m.text", "body": "back again"])
                let againID = try #require(again["event_id"]?.stringValue)
                let stored = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(room))/event/\(SuiteClient.escape(againID))")
                #expect(stored["content"]?["body"] == "back again")
                try await ClientReaderTests.eventually("Synapse shows Alice's message after she rejoined") {
                    try await Self.bodies(bob, room).contains("back again")
                }
            }
        }
    }

    /// A room open to the members of another (`restricted`): its server names one of its members who may invite in the
    /// join (`join_authorised_via_users_server`) and countersigns it, for its own users and for other servers'.
    @Test func restrictedJoinsAreVouchedForBothWays() async throws {
        func restricted(to lobby: String) -> JSONValue {
            [
                "preset": "public_chat", "room_version": "10",
                "initial_state": [[
                    "type": "m.room.join_rules", "state_key": "",
                    "content": ["join_rule": "restricted", "allow": [["type": "m.room_membership", "room_id": .string(lobby)]]],
                ]],
            ]
        }
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let dave = try await SuiteClient.register(axon.clientURL, prefix: "dave", recordSecrets: true)
            let lobby = try #require(try await alice.ok("POST", "/createRoom", ["preset": "public_chat", "room_version": "10"])["room_id"]?.stringValue)
            let inner = try #require(try await alice.ok("POST", "/createRoom", restricted(to: lobby))["room_id"]?.stringValue)

            // Here: Dave is refused until he is in the lobby; then Alice vouches for him.
            let early = try await dave.call("POST", "/join/\(SuiteClient.escape(inner))", [:])
            #expect(early.status == 403, "\(early)")
            _ = try await dave.ok("POST", "/join/\(SuiteClient.escape(lobby))", [:])
            _ = try await dave.ok("POST", "/join/\(SuiteClient.escape(inner))", [:])
            let daveJoin = try await dave.ok("GET", "/rooms/\(SuiteClient.escape(inner))/state/m.room.member/\(SuiteClient.escape(dave.userID))")
            #expect(daveJoin["join_authorised_via_users_server"]?.stringValue == alice.userID, "\(daveJoin)")

            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                let via = "server_name=\(SuiteClient.escape(axon.serverName))"
                // Synapse's user: refused by Axon until he is in the lobby, then vouched for and countersigned here.
                let refused = try await bob.call("POST", "/join/\(SuiteClient.escape(inner))?\(via)", [:])
                #expect(refused.status != 200, "\(refused)")
                _ = try await bob.ok("POST", "/join/\(SuiteClient.escape(lobby))?\(via)", [:])
                let admitted = try await bob.call("POST", "/join/\(SuiteClient.escape(inner))?\(via)", [:])
                #expect(admitted.status == 200, "\(admitted)")
                let members = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(inner))/joined_members")
                #expect(members["joined"]?[bob.userID] != nil, "\(members)")

                // The other way: Synapse's restricted room admits Alice once she is in its lobby, Synapse vouching.
                let synapseLobby = try #require(try await bob.ok("POST", "/createRoom", ["preset": "public_chat", "room_version": "10"])["room_id"]?.stringValue)
                let synapseInner = try #require(try await bob.ok("POST", "/createRoom", restricted(to: synapseLobby))["room_id"]?.stringValue)
                let back = "server_name=\(SuiteClient.escape(synapse.serverName))"
                let turnedAway = try await alice.call("POST", "/join/\(SuiteClient.escape(synapseInner))?\(back)", [:])
                #expect(turnedAway.status == 403, "\(turnedAway)")
                _ = try await alice.ok("POST", "/join/\(SuiteClient.escape(synapseLobby))?\(back)", [:])
                let inside = try await alice.call("POST", "/join/\(SuiteClient.escape(synapseInner))?\(back)", [:])
                #expect(inside.status == 200, "\(inside)")
                try await ClientReaderTests.eventually("Synapse lists Alice in its restricted room") {
                    try await bob.ok("GET", "/rooms/\(SuiteClient.escape(synapseInner))/joined_members")["joined"]?[alice.userID] != nil
                }
            }
        }
    }

    /// An Axon user knocks on a room Synapse holds (`make_knock`/`send_knock`): Synapse holds the knock, Alice's sync
    /// lists the room under `knock` with the state Synapse sent, and once Bob invites her she joins.
    @Test func anAxonUserKnocksOnASynapseRoom() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                let room = try #require(try await bob.ok("POST", "/createRoom", [
                    "preset": "private_chat", "room_version": "10", "name": "Knock first",
                    "initial_state": [["type": "m.room.join_rules", "state_key": "", "content": ["join_rule": "knock"]]],
                ])["room_id"]?.stringValue)
                let escaped = SuiteClient.escape(room)
                let knocked = try await alice.call("POST", "/knock/\(escaped)?server_name=\(SuiteClient.escape(synapse.serverName))", ["reason": "let me in"])
                #expect(knocked.status == 200 && knocked.json["room_id"]?.stringValue == room, "\(knocked)")
                try await ClientReaderTests.eventually("Synapse holds Alice's knock") {
                    let member = try await bob.call("GET", "/rooms/\(escaped)/state/m.room.member/\(SuiteClient.escape(alice.userID))")
                    return member.json["membership"] == "knock"
                }
                let knockState = try await Self.freshSync(alice)["rooms"]?["knock"]?[room]?["knock_state"]?["events"]?.arrayValue ?? []
                #expect(knockState.contains { $0["type"] == "m.room.name" && $0["content"]?["name"] == "Knock first" }, "\(knockState)")
                #expect(knockState.contains { $0["type"] == "m.room.member" && $0["content"]?["membership"] == "knock" }, "\(knockState)")

                _ = try await bob.ok("POST", "/rooms/\(escaped)/invite", ["user_id": .string(alice.userID)])
                try await ClientReaderTests.eventually("Axon shows Alice the invite") {
                    try await Self.freshSync(alice)["rooms"]?["invite"]?[room] != nil
                }
                let joined = try await alice.call("POST", "/join/\(escaped)?server_name=\(SuiteClient.escape(synapse.serverName))", [:])
                #expect(joined.status == 200, "\(joined)")
                try await ClientReaderTests.eventually("Synapse lists Alice as joined") {
                    try await bob.ok("GET", "/rooms/\(escaped)/joined_members")["joined"]?[alice.userID] != nil
                }
            }
        }
    }

    @Test func invitesGoBothWays() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)

                // Alice (Axon) invites Bob (Synapse) to a private room; Synapse countersigns and shows Bob the invite.
                let axonRoom = try #require(try await alice.ok("POST", "/createRoom", ["preset": "private_chat", "name": "Axon den"])["room_id"]?.stringValue)
                let invited = try await alice.call("POST", "/rooms/\(SuiteClient.escape(axonRoom))/invite", ["user_id": .string(bob.userID)])
                #expect(invited.status == 200, "\(invited)")
                try await ClientReaderTests.eventually("Synapse shows Bob the invite") {
                    try await Self.freshSync(bob)["rooms"]?["invite"]?[axonRoom] != nil
                }
                let bobJoined = try await bob.call("POST", "/rooms/\(SuiteClient.escape(axonRoom))/join", [:])
                #expect(bobJoined.status == 200, "\(bobJoined)")
                _ = try await bob.ok("PUT", "/rooms/\(SuiteClient.escape(axonRoom))/send/m.room.message/b1", ["msgtype": "m.text", "body": "thanks for the invite"])
                try await ClientReaderTests.eventually("Axon shows Bob's message") {
                    try await Self.bodies(alice, axonRoom).contains("thanks for the invite")
                }

                // Bob (Synapse) invites Alice (Axon); Alice's sync shows the invite with the room's stripped state.
                let synapseRoom = try #require(try await bob.ok("POST", "/createRoom", [
                    "preset": "private_chat", "name": "Synapse den", "invite": [.string(alice.userID)],
                ])["room_id"]?.stringValue)
                var invite: JSONValue?
                try await ClientReaderTests.eventually("Axon shows Alice the invite") {
                    invite = try await Self.freshSync(alice)["rooms"]?["invite"]?[synapseRoom]
                    return invite != nil
                }
                let stripped = invite?["invite_state"]?["events"]?.arrayValue ?? []
                #expect(stripped.contains { $0["type"] == "m.room.name" && $0["content"]?["name"] == "Synapse den" }, "\(stripped)")
                #expect(stripped.contains { $0["type"] == "m.room.member" && $0["state_key"]?.stringValue == alice.userID }, "\(stripped)")
                let aliceJoined = try await alice.call("POST", "/rooms/\(SuiteClient.escape(synapseRoom))/join", [:])
                #expect(aliceJoined.status == 200, "\(aliceJoined)")
                try await ClientReaderTests.eventually("Synapse lists Alice as joined") {
                    try await bob.ok("GET", "/rooms/\(SuiteClient.escape(synapseRoom))/joined_members")["joined"]?[alice.userID] != nil
                }
                _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(synapseRoom))/send/m.room.message/a1", ["msgtype": "m.text", "body": "on my way"])
                try await ClientReaderTests.eventually("Synapse shows Alice's message") {
                    try await Self.bodies(bob, synapseRoom).contains("on my way")
                }

                // Invites declined both ways: make_leave and send_leave on the inviting server.
                let declinedOnSynapse = try #require(try await bob.ok("POST", "/createRoom", [
                    "preset": "private_chat", "invite": [.string(alice.userID)],
                ])["room_id"]?.stringValue)
                try await ClientReaderTests.eventually("Axon shows Alice the second invite") {
                    try await Self.freshSync(alice)["rooms"]?["invite"]?[declinedOnSynapse] != nil
                }
                let aliceDeclined = try await alice.call("POST", "/rooms/\(SuiteClient.escape(declinedOnSynapse))/leave", [:])
                #expect(aliceDeclined.status == 200, "\(aliceDeclined)")
                let aliceOnSynapse = try await bob.ok("GET", "/rooms/\(SuiteClient.escape(declinedOnSynapse))/state/m.room.member/\(SuiteClient.escape(alice.userID))")
                #expect(aliceOnSynapse["membership"] == "leave", "\(aliceOnSynapse)")
                #expect(try await Self.freshSync(alice)["rooms"]?["invite"]?[declinedOnSynapse] == nil)

                let declinedOnAxon = try #require(try await alice.ok("POST", "/createRoom", [
                    "preset": "private_chat", "invite": [.string(bob.userID)],
                ])["room_id"]?.stringValue)
                try await ClientReaderTests.eventually("Synapse shows Bob the second invite") {
                    try await Self.freshSync(bob)["rooms"]?["invite"]?[declinedOnAxon] != nil
                }
                let bobDeclined = try await bob.call("POST", "/rooms/\(SuiteClient.escape(declinedOnAxon))/leave", [:])
                #expect(bobDeclined.status == 200, "\(bobDeclined)")
                let bobOnAxon = try await alice.ok("GET", "/rooms/\(SuiteClient.escape(declinedOnAxon))/state/m.room.member/\(SuiteClient.escape(bob.userID))")
                #expect(bobOnAxon["membership"] == "leave", "\(bobOnAxon)")
            }
        }
    }
}
