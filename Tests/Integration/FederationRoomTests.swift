import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Rooms across servers, against a real Synapse: its users join rooms on Axon (make_join, send_join).
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationRoomTests {
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
                // Both sides hold the same history in the same order.
                let seenOnAxon = try await Self.bodies(alice, room)
                let seenOnSynapse = try await Self.bodies(bob, room)
                #expect(seenOnAxon == ["hello from Axon", "hello from Synapse"] && seenOnAxon == seenOnSynapse, "\(seenOnAxon) \(seenOnSynapse)")

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
                _ = try await bob.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/b0", ["msgtype": "m.text", "body": "before Alice"])

                let joined = try await alice.call("POST", "/join/\(SuiteClient.escape("#meetinghall:\(synapse.serverName)"))", [:])
                #expect(joined.status == 200 && joined.json["room_id"]?.stringValue == room, "\(joined)")
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
                // Alice's sync has the room, with its state.
                let sync = try await alice.ok("GET", "/sync")
                #expect(sync["rooms"]?["join"]?[room] != nil, "\(sync)")
            }
        }
    }
}
