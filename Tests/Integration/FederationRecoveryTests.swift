import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Federation with a real Synapse when a server goes away: a killed Axon loses no event it acknowledged and catches
/// up on the rest; a Synapse that was down gets what Axon queued for it.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct FederationRecoveryTests {
    /// How many of Bob's messages the room shows Alice.
    static func messages(from sender: String, _ client: SuiteClient, _ room: String) async throws -> Int {
        let page = try await client.ok("GET", "/rooms/\(SuiteClient.escape(room))/messages?dir=b&limit=500")
        return (page["chunk"]?.arrayValue ?? []).filter { $0["type"] == "m.room.message" && $0["sender"]?.stringValue == sender }.count
    }

    /// The first column of `sql`'s rows in the SQLite database at `path`, read with Synapse's Python (Axon's
    /// database survives a kill; Synapse's is read while it runs).
    static func column(_ sql: String, _ parameters: [String] = [], in path: String) async throws -> [String] {
        let python = try #require(TestEnvironment.synapsePython)
        let result = try await ServerProcess.runToCompletion(python, [
            "-c", "import sqlite3,sys; [print(row[0]) for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2], sys.argv[3:])]",
            path, sql,
        ] + parameters)
        guard result.status == 0 else { throw SuiteFailure("sqlite: \(result.output)") }
        return result.output.split(separator: "\n").map(String.init)
    }

    /// The PDUs Axon's log says it staged (and so acknowledged), per transaction.
    static func stagedPDUs(_ log: String) -> [Int] {
        log.split(separator: "\n").filter { $0.contains("staged a transaction") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("pdus=") }.flatMap { Int($0.dropFirst("pdus=".count)) }
        }
    }

    /// `total` messages from `sender`, sent from ten clients at once so the sending server's queue fills while a
    /// transaction is in flight; failures are ignored (the receiving side may be killed meanwhile).
    static func burst(from sender: SuiteClient, in room: String, total: Int) -> Task<Void, any Error> {
        Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<10 {
                    group.addTask {
                        for index in stride(from: lane, to: total, by: 10) {
                            _ = try? await sender.call("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/m\(index)", [
                                "msgtype": "m.text", "body": .string("message \(index)"),
                            ])
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// Waits (a minute at most) until `process` logs at least `count` PDUs staged after its first `stagedBefore`
    /// transactions.
    static func waitForAcknowledged(_ count: Int, after stagedBefore: Int, in process: ServerProcess) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while stagedPDUs(process.log).dropFirst(stagedBefore).reduce(0, +) < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func aKilledAxonKeepsWhatItAcknowledgedAndCatchesUp() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let room = try #require(try await alice.ok("POST", "/createRoom", ["preset": "public_chat"])["room_id"]?.stringValue)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                _ = try await bob.ok("POST", "/join/\(SuiteClient.escape(room))?server_name=\(SuiteClient.escape(axon.serverName))", [:])
                let stagedBefore = Self.stagedPDUs(axon.process.log).count

                // Bob sends from ten clients at once, so Synapse's queue for Axon fills while a transaction is in flight.
                let total = 100
                let burst = Self.burst(from: bob, in: room, total: total)
                // Killed in the middle of the burst, once it has acknowledged some of it.
                try await Self.waitForAcknowledged(10, after: stagedBefore, in: axon.process)
                axon.process.child.signal(SIGKILL)
                _ = await axon.process.child.waitForExit()
                try await burst.value
                let acknowledged = Self.stagedPDUs(axon.process.log).dropFirst(stagedBefore).reduce(0, +)
                #expect(acknowledged >= 10 && acknowledged < total, "\(acknowledged) of \(total) acknowledged before the kill")

                let axonDB = axon.directory.appendingPathComponent("homeserver.db").path
                let staged = try await Self.column("SELECT count(*) FROM federation_staged_pdus", in: axonDB)

                let again = try axon.restart()
                try await again.whileRunning {
                    try await again.waitUntilHealthy()
                    // Every acknowledged event is added after the restart (from staging if it had not been yet), before
                    // Synapse sends anything again.
                    try await ClientReaderTests.eventually("every acknowledged event is in the room (\(staged) were staged at the kill)") {
                        // At least: a transaction staged just before the kill may not have reached the log.
                        try await Self.messages(from: bob.userID, alice, room) >= acknowledged
                    }
                    // The count can be reached while the last staged PDUs are still being added: staging empties after.
                    try await ClientReaderTests.eventually("every staged PDU is added and unstaged") {
                        try await Self.column("SELECT count(*) FROM federation_staged_pdus", in: axonDB) == ["0"]
                    }

                    // Once Axon is heard from again, Synapse sends what it could not deliver.
                    _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/back", ["msgtype": "m.text", "body": "back"])
                    try await ClientReaderTests.eventually("every message reached Axon", timeout: .seconds(90)) {
                        try await Self.messages(from: bob.userID, alice, room) == total
                    }
                }
            }
        }
    }

    @Test func aSynapseThatWasDownGetsWhatAxonQueued() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let room = try #require(try await alice.ok("POST", "/createRoom", ["preset": "public_chat"])["room_id"]?.stringValue)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                _ = try await bob.ok("POST", "/join/\(SuiteClient.escape(room))?server_name=\(SuiteClient.escape(axon.serverName))", [:])
                let invitedTo = try #require(try await bob.ok("POST", "/createRoom", [
                    "preset": "private_chat", "invite": [.string(alice.userID)],
                ])["room_id"]?.stringValue)
                try await ClientReaderTests.eventually("Axon shows Alice the invite") {
                    try await alice.ok("GET", "/sync")["rooms"]?["invite"]?[invitedTo] != nil
                }
                await synapse.process.stop()
                // With the inviting server gone, Alice can still decline: the invite is declined here alone.
                let declined = try await alice.call("POST", "/rooms/\(SuiteClient.escape(invitedTo))/leave", [:])
                #expect(declined.status == 200, "\(declined)")
                #expect(try await alice.ok("GET", "/sync")["rooms"]?["invite"]?[invitedTo] == nil)
                for index in 1...3 {
                    _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/q\(index)", [
                        "msgtype": "m.text", "body": .string("while you were away \(index)"),
                    ])
                }
                let again = try synapse.restart()
                try await again.whileRunning {
                    try await again.waitUntilHealthy(timeout: .seconds(90))
                    try await ClientReaderTests.eventually("Synapse has what Axon queued", timeout: .seconds(90)) {
                        try await Self.messages(from: alice.userID, bob, room) == 3
                    }
                }
            }
        }
    }

    /// Axon restarts while Synapse is down, losing its queues: the restarted sender sends Synapse the room's newest
    /// event it had not acknowledged, and Synapse fetches the rest (`get_missing_events`).
    @Test func anAxonRestartedWhileSynapseWasDownCatchesItUp() async throws {
        let ca = try await TestCertificateAuthority.make()
        try await FederationPeers.withAxon(ca: ca) { axon in
            let alice = try await SuiteClient.register(axon.clientURL, prefix: "alice", recordSecrets: true)
            let room = try #require(try await alice.ok("POST", "/createRoom", ["preset": "public_chat"])["room_id"]?.stringValue)
            try await FederationPeers.withSynapse(ca: ca) { synapse in
                let bob = try await SuiteClient.register(synapse.clientURL, prefix: "bob", recordSecrets: true)
                _ = try await bob.ok("POST", "/join/\(SuiteClient.escape(room))?server_name=\(SuiteClient.escape(axon.serverName))", [:])
                _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/before", ["msgtype": "m.text", "body": "before"])
                try await ClientReaderTests.eventually("Synapse has the first message") {
                    try await Self.messages(from: alice.userID, bob, room) == 1
                }
                await synapse.process.stop()
                for index in 1...4 {
                    _ = try await alice.ok("PUT", "/rooms/\(SuiteClient.escape(room))/send/m.room.message/q\(index)", [
                        "msgtype": "m.text", "body": .string("while you were away \(index)"),
                    ])
                }
                axon.process.child.signal(SIGKILL)
                _ = await axon.process.child.waitForExit()
                let restarted = try axon.restart()
                try await restarted.whileRunning {
                    try await restarted.waitUntilHealthy()
                    let again = try synapse.restart()
                    try await again.whileRunning {
                        try await again.waitUntilHealthy(timeout: .seconds(90))
                        try await ClientReaderTests.eventually("Synapse has everything Alice sent", timeout: .seconds(90)) {
                            try await Self.messages(from: alice.userID, bob, room) == 5
                        }
                    }
                }
                #expect(restarted.log.contains("catching destinations up"), "the restarted sender caught Synapse up")
            }
        }
    }
}
