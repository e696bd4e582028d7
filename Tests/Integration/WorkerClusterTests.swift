import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The worker cluster behind nginx routes by the route table: `/sync` goes to the client readers, each user to one
/// of them every time.
@Suite(.enabled(if: WorkerCluster.isAvailable, "needs PostgreSQL, redis-server and nginx (make test provides them)"))
struct WorkerClusterTests {
    @Test func syncReachesTheReadersPinnedPerUserAndWritesReachMain() async throws {
        try await PostgresProcessDatabase.withEmpty { database in
            try await WorkerCluster.run(database: database, readers: 2) { cluster in
                var users: [SuiteClient] = []
                for _ in 0..<12 { users.append(try await SuiteClient.register(cluster.baseURL, prefix: "pin", recordSecrets: true)) }
                let roomID = try await users[0].createRoom()
                for user in users {
                    for _ in 0..<3 {
                        _ = try await user.ok("GET", "/sync?timeout=0&probe=\(user.userID.dropFirst().prefix { $0 != ":" })")
                    }
                }
                _ = try await users[0].send(roomID, "written by main")

                let readerLogs = cluster.readers.map(\.log)
                let counts = users.map { user -> [Int] in
                    let marker = "/sync?timeout=0&probe=\(user.userID.dropFirst().prefix { $0 != ":" }) 200"
                    return readerLogs.map { $0.components(separatedBy: marker).count - 1 }
                }
                for (user, perReader) in zip(users, counts) {
                    #expect(perReader.sorted() == [0, 3], "\(user.userID)'s syncs went to one reader: \(perReader)")
                }
                #expect(counts.allSatisfy { $0[0] == 3 } == false && counts.allSatisfy { $0[1] == 3 } == false, "both readers serve users")
                #expect(!cluster.main.log.contains("/sync?"), "main served no /sync")
                // The processes' own metrics say the same.
                func served(_ process: ServerProcess, _ route: String) async throws -> Int {
                    let text = try await TestHTTP.request("GET", process.baseURL + "/_synapse/metrics").body
                    return text.split(separator: "\n").filter { $0.hasPrefix("axon_http_requests_total{") && $0.contains(#"route="\#(route)""#) }
                        .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0) { $0 + Int($1) }
                }
                var readerSyncs = 0
                for reader in cluster.readers { readerSyncs += try await served(reader, "/_matrix/client/v3/sync") }
                #expect(readerSyncs == users.count * 3, "the readers served every /sync")
                #expect(try await served(cluster.main, "/_matrix/client/v3/sync") == 0)
                #expect(try await served(cluster.main, "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}") == 1)
                let mainMetrics = try await TestHTTP.request("GET", cluster.main.baseURL + "/_synapse/metrics").body
                #expect(mainMetrics.contains(#"axon_database_pool_jobs{engine="postgres",state="waiting"}"#), "pool use is reported")
                #expect(mainMetrics.contains(#"axon_stream_position{stream="events"}"#), "and each stream's position")
                #expect(cluster.main.log.contains("/send/m.room.message/"), "sends reach main")
                #expect(!readerLogs.contains { $0.contains("/send/m.room.message/") })
                // Events are persisted by the event persisters, new rooms falling to each in turn; main persists none.
                let secondRoom = try await users[1].createRoom()
                _ = try await users[1].send(secondRoom, "in the second room")
                for persister in cluster.persisters {
                    #expect(try await persister.persistedEvents() > 0, "\(persister.baseURL) persisted events")
                }
                #expect(try await cluster.main.persistedEvents() == 0, "main persisted no event")
                #expect(try await users[0].sync().timeline(secondRoom).isEmpty, "users[0] is not in the second room")
                #expect(try await users[1].sync().timeline(secondRoom).contains { $0["content"]?["body"] == "in the second room" })
                try await Self.aStoppedPersisterHoldsBackOnlyItsOwnRooms(cluster, first: (users[0], roomID), second: (users[1], secondRoom))
            }
        }
    }

    /// Sync tokens carry each persister's position: while the persister owning one room is stopped (SIGSTOP: silent,
    /// its position frozen), the other room's new events still reach its members' syncs; the stopped one's follow
    /// once it runs again.
    static func aStoppedPersisterHoldsBackOnlyItsOwnRooms(
        _ cluster: WorkerCluster.Running, first: (user: SuiteClient, room: String), second: (user: SuiteClient, room: String)
    ) async throws {
        func persisted() async throws -> [Int] {
            var counts: [Int] = []
            for persister in cluster.persisters { counts.append(try await persister.persistedEvents()) }
            return counts
        }
        let before = try await persisted()
        _ = try await second.user.send(second.room, "before the stop")
        let after = try await persisted()
        let stopped = try #require(after.indices.first { after[$0] > before[$0] }, "a persister wrote the second room's event")
        let firstSince = try #require(try await first.user.sync()["next_batch"]?.stringValue)
        let secondSince = try #require(try await second.user.sync()["next_batch"]?.stringValue)

        cluster.persisters[stopped].child.signal(SIGSTOP)
        let firstTimeline: [JSONValue]
        let next: String?
        do {
            _ = try await first.user.send(first.room, "while the other persister is stopped")
            let reply = try await first.user.sync(since: firstSince, timeout: 10_000)
            firstTimeline = reply.timeline(first.room)
            next = reply["next_batch"]?.stringValue
        } catch {
            cluster.persisters[stopped].child.signal(SIGCONT)
            throw error
        }
        cluster.persisters[stopped].child.signal(SIGCONT)
        #expect(firstTimeline.contains { $0["content"]?["body"] == "while the other persister is stopped" }, "\(firstTimeline)")
        #expect(next?.contains("~") == true, "the token names each persister's position: \(next ?? "-")")

        _ = try await second.user.send(second.room, "after the stop")
        let secondTimeline = try await second.user.sync(since: secondSince, timeout: 10_000).timeline(second.room)
        #expect(secondTimeline.map { $0["content"]?["body"]?.stringValue } == ["after the stop"], "\(secondTimeline)")
    }
}
