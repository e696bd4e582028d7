import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Federation in worker mode against a real Synapse: the federation receiver behind nginx's TLS port answers joins
/// and transactions (the event persister adds their events, typing goes to the main process), the federation sender
/// delivers, and a receiver killed right after acknowledging transactions loses none of their events.
@Suite(.enabled(if: WorkerCluster.isAvailable && TestEnvironment.synapsePython != nil, "needs PostgreSQL, redis-server, nginx and Synapse (make test)"))
struct FederationWorkerTests {
    @Test func aSynapseUserTalksWithTheWorkerCluster() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await PostgresProcessDatabase.withEmpty { database in
            try await WorkerCluster.run(database: database, readers: 1, persisters: 1, federation: ca) { cluster in
                let receiver = try #require(cluster.federationReceiver)
                let alice = try await SuiteClient.register(cluster.baseURL, prefix: "alice", recordSecrets: true)
                let room = try #require(try await alice.ok("POST", "/createRoom", ["preset": "public_chat"])["room_id"]?.stringValue)
                let escaped = SuiteClient.escape(room)
                try await FederationPeers.withSynapse(ca: ca) { synapse in
                    let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                    let joined = try await bob.call("POST", "/join/\(escaped)?server_name=\(SuiteClient.escape(cluster.serverName))", [:])
                    #expect(joined.status == 200, "\(joined)")
                    #expect(receiver.log.contains("/_matrix/federation/v2/send_join/"), "the federation receiver answered the join")
                    try await ClientReaderTests.eventually("Alice sees Bob join") {
                        try await alice.ok("GET", "/rooms/\(escaped)/joined_members")["joined"]?[bob.userID] != nil
                    }

                    _ = try await alice.ok("PUT", "/rooms/\(escaped)/send/m.room.message/a1", ["msgtype": "m.text", "body": "from the cluster"])
                    try await ClientReaderTests.eventually("Synapse shows the cluster's message") {
                        try await FederationRoomTests.bodies(bob, room).contains("from the cluster")
                    }
                    _ = try await bob.ok("PUT", "/rooms/\(escaped)/send/m.room.message/b1", ["msgtype": "m.text", "body": "from Synapse"])
                    try await ClientReaderTests.eventually("the cluster shows Synapse's message") {
                        try await FederationRoomTests.bodies(alice, room).contains("from Synapse")
                    }
                    // Typing reaches the receiver, which hands it to the main process; Alice's reader shows it.
                    _ = try await bob.ok("PUT", "/rooms/\(escaped)/typing/\(SuiteClient.escape(bob.userID))", ["typing": true, "timeout": 20000])
                    try await ClientReaderTests.eventually("the cluster shows Bob typing") {
                        try await FederationRoomTests.ephemeral(alice, room, "m.typing")
                            .contains { $0["content"]?["user_ids"]?.arrayValue?.contains(.string(bob.userID)) == true }
                    }

                    // Bob sends from ten clients at once; the receiver is killed once it has acknowledged some of it.
                    let stagedBefore = FederationRecoveryTests.stagedPDUs(receiver.log).count
                    let total = 60
                    let burst = FederationRecoveryTests.burst(from: bob, in: room, total: total)
                    try await FederationRecoveryTests.waitForAcknowledged(5, after: stagedBefore, in: receiver)
                    receiver.child.signal(SIGKILL)
                    _ = await receiver.child.waitForExit()
                    try await burst.value
                    let acknowledged = FederationRecoveryTests.stagedPDUs(receiver.log).dropFirst(stagedBefore).reduce(0, +)
                    #expect(acknowledged >= 5, "\(acknowledged) of \(total) acknowledged before the kill")

                    let again = try cluster.startFederationReceiver()
                    try await again.whileRunning {
                        try await again.waitUntilReady()
                        try await ClientReaderTests.eventually("every acknowledged event is in the room") {
                            try await FederationRecoveryTests.messages(from: bob.userID, alice, room) >= acknowledged
                        }
                        // Synapse, heard from again, sends what it could not deliver.
                        _ = try await alice.ok("PUT", "/rooms/\(escaped)/send/m.room.message/back", ["msgtype": "m.text", "body": "back"])
                        try await ClientReaderTests.eventually("every message reached the cluster", timeout: .seconds(90)) {
                            try await FederationRecoveryTests.messages(from: bob.userID, alice, room) == total + 1  // and "from Synapse"
                        }
                    }
                }
            }
        }
    }
}
