import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Rooms across servers, against a real Synapse: its users join rooms on Axon (make_join, send_join).
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationRoomTests {
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

            }
        }
    }
}
