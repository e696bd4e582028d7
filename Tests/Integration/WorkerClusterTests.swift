import AxonTesting
import Foundation
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
                #expect(cluster.main.log.contains("/send/m.room.message/"), "sends reach main")
                #expect(!readerLogs.contains { $0.contains("/send/m.room.message/") })
            }
        }
    }
}
