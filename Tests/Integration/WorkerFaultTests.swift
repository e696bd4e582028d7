import AxonTesting
import Foundation
import MatrixTypes
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Under steady sends through nginx: the event persister owning the room and then a client reader killed with SIGKILL
/// (and started again), Redis stopped for 20 s, PostgreSQL restarted. Afterwards every send that got a 200 is in the room exactly once, every syncing client got
/// each of them exactly once, a retried transaction ID names the same event, and readiness went 503 and back.
@Suite(.enabled(if: WorkerCluster.isAvailable, "needs PostgreSQL, redis-server and nginx (make test provides them)"))
struct WorkerFaultTests {
    /// What the load saw, shared between its tasks.
    final class Ledger: Sendable {
        /// Transaction ID → event ID, for every send answered 200.
        let sent = Mutex<[String: String]>([:])
        let failedAttempts = Mutex(0)
        /// Per syncing user: message event IDs in the order their syncs delivered them.
        let received = Mutex<[String: [String]]>([:])
        let stop = Atomic(false)
        /// Every sender has returned: `sent` is final.
        let sendersFinished = Atomic(false)
        /// Sync responses whose timeline was cut short (events older than it were skipped).
        let limited = Mutex(0)
        /// Per syncing user: each answered sync as "since → next_batch: messages", to tell a skip from a stall.
        let syncs = Mutex<[String: [String]]>([:])
    }

    /// Sends numbered messages until stopped (about six a second), retrying each with its own transaction ID until one
    /// is answered 200. The pace keeps what a reader must catch up after the Redis outage under the sync timeline limit.
    static func send(_ client: SuiteClient, roomID: String, prefix: String, ledger: Ledger) async {
        var index = 0
        while !ledger.stop.load(ordering: .relaxed) {
            let txn = "\(prefix)-\(index)"
            while true {
                if let reply = try? await client.call(
                    "PUT", "/rooms/\(SuiteClient.escape(roomID))/send/m.room.message/\(txn)", ["msgtype": "m.text", "body": .string(txn)]
                ), reply.status == 200, let eventID = reply.json["event_id"]?.stringValue {
                    ledger.sent.withLock { $0[txn] = eventID }
                    break
                }
                ledger.failedAttempts.withLock { $0 += 1 }
                try? await Task.sleep(for: .milliseconds(200))
            }
            index += 1
            try? await Task.sleep(for: .milliseconds(150))
        }
    }

    /// Long-polls until `until` says it has everything, keeping every message event ID delivered, in order.
    static func sync(_ client: SuiteClient, roomID: String, ledger: Ledger, until done: @Sendable () -> Bool) async {
        let filter = "{\"room\":{\"timeline\":{\"limit\":1000}}}"
        var since: String?
        while !done() && !Task.isCancelled {
            let query = "/sync?timeout=2000&filter=\(SuiteClient.escape(filter))" + (since.map { "&since=\(SuiteClient.escape($0))" } ?? "")
            guard let reply = try? await client.call("GET", query), reply.status == 200 else {
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            let events = reply.json.timeline(roomID).filter { $0["type"] == "m.room.message" }.compactMap { $0["event_id"]?.stringValue }
            ledger.received.withLock { $0[client.userID, default: []] += events }
            let next = reply.json["next_batch"]?.stringValue ?? "-"
            ledger.syncs.withLock { $0[client.userID, default: []].append("\(Self.eventsPosition(since)) → \(Self.eventsPosition(next)): \(events.count)") }
            if reply.json["rooms"]?["join"]?[roomID]?["timeline"]?["limited"] == true { ledger.limited.withLock { $0 += 1 } }
            since = reply.json["next_batch"]?.stringValue ?? since
        }
    }

    /// The events position inside a sync token (`a2_<events>_…`), or the whole token when it has none.
    static func eventsPosition(_ token: String?) -> String {
        guard let token else { return "initial" }
        let parts = token.split(separator: "_")
        return parts.count > 1 ? String(parts[1]) : token
    }

    static func ready(_ url: String) async -> Int {
        (try? await TestHTTP.request("GET", url + "/health/ready").status) ?? 0
    }

    @Test func sendsSurviveAKilledPersisterAKilledReaderARedisOutageAndAPostgresRestart() async throws {
        let services = try await PrivateServices.start()
        do {
            try await WorkerCluster.run(database: services.database, readers: 2) { cluster in
                let ledger = Ledger()
                let owner = try await SuiteClient.register(cluster.baseURL, prefix: "owner", recordSecrets: true)
                let roomID = try await owner.createRoom(["preset": "public_chat"])
                var users: [SuiteClient] = []
                for _ in 0..<6 {
                    let user = try await SuiteClient.register(cluster.baseURL, prefix: "load", recordSecrets: true)
                    try await user.ok("POST", "/join/\(SuiteClient.escape(roomID))", [:])
                    users.append(user)
                }
                let senders = Array(users.prefix(3))
                let syncers = Array(users.suffix(3))
                // Everything is received once the senders have finished (a send under way when they are told to
                // stop still completes, and counts) and every syncer holds every acknowledged send.
                let allReceived: @Sendable () -> Bool = {
                    guard ledger.sendersFinished.load(ordering: .relaxed) else { return false }
                    let sent = Set(ledger.sent.withLock { $0.values })
                    return ledger.received.withLock { received in syncers.allSatisfy { sent.isSubset(of: Set(received[$0.userID] ?? [])) } }
                }
                let sending = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for (index, sender) in senders.enumerated() {
                            group.addTask { await Self.send(sender, roomID: roomID, prefix: "s\(index)", ledger: ledger) }
                        }
                    }
                    ledger.sendersFinished.store(true, ordering: .relaxed)
                }
                let load = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for syncer in syncers {
                            group.addTask { await Self.sync(syncer, roomID: roomID, ledger: ledger, until: allReceived) }
                        }
                    }
                }
                try await Task.sleep(for: .seconds(3))

                // The event persister that owns the room dies without warning: sends fail until it is back (each is
                // retried with its transaction ID), then resume; nothing it acknowledged is lost or doubled.
                var persisted: [Int] = []
                for persister in cluster.persisters { persisted.append(try await persister.persistedEvents()) }
                let owning = try #require(persisted.indices.max { persisted[$0] < persisted[$1] })
                cluster.persisters[owning].child.signal(SIGKILL)
                _ = await cluster.persisters[owning].child.waitForExit()
                // Silent past the limit, the persister makes main unready (its rooms' events cannot be written).
                try await ClientReaderTests.eventually("main reports the persister silent", timeout: .seconds(20)) {
                    await Self.ready(cluster.main.baseURL) == 503
                }
                let revived = try cluster.startPersister(owning)
                try await revived.whileRunning {
                    try await revived.waitUntilReady()
                    try await ClientReaderTests.eventually("main is ready again", timeout: .seconds(20)) {
                        await Self.ready(cluster.main.baseURL) == 200
                    }
                    try await Task.sleep(for: .seconds(2))

                    // A client reader dies without warning; nginx sends its users to the other; it comes back.
                    cluster.readers[0].child.signal(SIGKILL)
                    _ = await cluster.readers[0].child.waitForExit()
                    try await Task.sleep(for: .seconds(3))
                    let replacement = try cluster.startReader(0)
                    try await replacement.whileRunning {
                        try await replacement.waitUntilReady()
                        try await Task.sleep(for: .seconds(2))

                        // Redis goes away for 20 seconds: readers report it, then catch up.
                        await cluster.redis.stop()
                        try await ClientReaderTests.eventually("a reader reports Redis gone", timeout: .seconds(15)) {
                            await Self.ready(cluster.readers[1].baseURL) == 503
                        }
                        try await Task.sleep(for: .seconds(20))
                        try await cluster.redis.start()
                        try await ClientReaderTests.eventually("the readers are ready again", timeout: .seconds(30)) {
                            let first = await Self.ready(replacement.baseURL)
                            let second = await Self.ready(cluster.readers[1].baseURL)
                            return first == 200 && second == 200
                        }
                        try await Task.sleep(for: .seconds(2))

                        // PostgreSQL restarts under everything.
                        try await services.restartPostgres()
                        try await ClientReaderTests.eventually("main serves again", timeout: .seconds(30)) { await Self.ready(cluster.main.baseURL) == 200 }
                        try await Task.sleep(for: .seconds(3))

                        ledger.stop.store(true, ordering: .relaxed)
                        await sending.value
                        let deadline = ContinuousClock.now + .seconds(60)
                        while !allReceived() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
                        if !allReceived() { load.cancel() }
                        await load.value

                        let sent = ledger.sent.withLock { $0 }
                        #expect(ledger.limited.withLock { $0 } == 0, "no sync skipped events")
                        #expect(sent.count > 50, "steady load: \(sent.count) sends, \(ledger.failedAttempts.withLock { $0 }) failed attempts")
                        for syncer in syncers {
                            let seen = ledger.received.withLock { $0[syncer.userID] ?? [] }
                            #expect(seen.count == Set(seen).count, "\(syncer.userID) got \(seen.count - Set(seen).count) duplicates")
                            let missing = Set(sent.values).subtracting(seen)
                            let missingTxns = sent.filter { missing.contains($0.value) }.keys.sorted()
                            #expect(missing.isEmpty, "\(syncer.userID) never got \(missing.count) of \(sent.count): \(missingTxns.prefix(20)) \(missing.prefix(5))")
                        if !missing.isEmpty {
                            // Where the missed events sit in the stream (room tokens carry stream orderings), and the
                            // syncs that passed them.
                            for eventID in missing.prefix(3) {
                                let context = try? await owner.call("GET", "/rooms/\(SuiteClient.escape(roomID))/context/\(SuiteClient.escape(eventID))?limit=0")
                                print("missed \(eventID): context start \(context?.json["start"]?.stringValue ?? "?") end \(context?.json["end"]?.stringValue ?? "?")")
                            }
                            print("\(syncer.userID) syncs: \(ledger.syncs.withLock { $0[syncer.userID] ?? [] }.joined(separator: "; "))")
                        }
                        }
                        // The room holds each acknowledged send exactly once.
                        var history: [String] = []
                        var from: String?
                        repeat {
                            let page = try await owner.ok(
                                "GET", "/rooms/\(SuiteClient.escape(roomID))/messages?dir=b&limit=500" + (from.map { "&from=\(SuiteClient.escape($0))" } ?? "")
                            )
                            let chunk = page["chunk"]?.arrayValue ?? []
                            history += chunk.filter { $0["type"] == "m.room.message" }.compactMap { $0["event_id"]?.stringValue }
                            from = chunk.isEmpty ? nil : page["end"]?.stringValue
                        } while from != nil
                        #expect(history.count == Set(history).count, "no event twice in the room")
                        #expect(Set(history) == Set(sent.values), "the room holds exactly the acknowledged sends")
                        // A transaction retried now still names its event.
                        for (txn, eventID) in sent.prefix(5) {
                            let sender = senders[Int(txn.dropFirst().prefix { $0 != "-" }) ?? 0]
                            let again = try await sender.ok("PUT", "/rooms/\(SuiteClient.escape(roomID))/send/m.room.message/\(txn)", ["msgtype": "m.text", "body": .string(txn)])
                            #expect(again["event_id"]?.stringValue == eventID)
                        }
                    }
                }
            }
        } catch {
            await services.stop()
            throw error
        }
        await services.stop()
    }
}
