import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// A client reader next to the main process, as nginx splits a client's requests: writes to main, `/sync` and the
/// other reads to the reader, which follows main's streams over a real Redis.
@Suite(.enabled(if: PostgresProcessDatabase.isAvailable && RedisServer.isAvailable, "needs AXON_TEST_POSTGRES and redis-server"))
struct ClientReaderTests {
    /// A user as both processes see them: the same token against each base URL.
    struct SplitClient {
        let main: SuiteClient
        let reader: SuiteClient

        init(_ main: SuiteClient, readerURL: String) {
            self.main = main
            reader = SuiteClient(baseURL: readerURL, userID: main.userID, deviceID: main.deviceID, accessToken: main.accessToken)
        }
    }

    /// Runs `body` with main and one client reader on a fresh database and a private Redis.
    func withCluster(_ body: (_ main: ServerProcess, _ reader: ServerProcess, _ redis: RedisServer) async throws -> Void) async throws {
        let redis = try await RedisServer()
        try await PostgresProcessDatabase.withEmpty { database in
            let topology = try await WorkerTests.topology(database: database, redis: "127.0.0.1:\(redis.port)")
            let main = try ServerProcess(executable: "axon", arguments: ["-c", topology.sharedConfig], baseURL: topology.mainURL)
            try await main.whileRunning {
                try await main.waitUntilHealthy()
                let port = try await FreePort.next()
                let config = try topology.workerConfig(app: "synapse.app.generic_worker", name: "reader1", port: port)
                let reader = try ServerProcess(
                    executable: "axon-client-reader", arguments: ["-c", topology.sharedConfig, "-c", config], baseURL: "http://127.0.0.1:\(port)"
                )
                try await reader.whileRunning {
                    try await reader.waitUntilHealthy()
                    try await Self.eventually("the reader is ready") { try await TestHTTP.request("GET", reader.baseURL + "/health/ready").status == 200 }
                    try await body(main, reader, redis)
                }
            }
        }
    }

    static func eventually(_ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw SuiteFailure("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Long-polls on the reader from `since` until a response carries what `found` looks for.
    static func syncUntil(_ client: SuiteClient, since: String, _ what: String, _ found: (JSONValue) -> Bool) async throws -> JSONValue {
        var token = since
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let response = try await client.sync(since: token, timeout: 5_000)
            if found(response) { return response }
            token = response["next_batch"]?.stringValue ?? token
        }
        throw SuiteFailure("no sync on the reader brought \(what)")
    }

    @Test func theReaderServesSyncAndReadsOfWhatMainWrote() async throws {
        try await withCluster { main, reader, _ in
            let alice = SplitClient(try await SuiteClient.register(main.baseURL, prefix: "alice", recordSecrets: true), readerURL: reader.baseURL)
            // Registration is a client-reader route too.
            let bobOnReader = try await SuiteClient.register(reader.baseURL, prefix: "bob", recordSecrets: true)
            let bob = SplitClient(
                SuiteClient(baseURL: main.baseURL, userID: bobOnReader.userID, deviceID: bobOnReader.deviceID, accessToken: bobOnReader.accessToken),
                readerURL: reader.baseURL
            )
            let roomID = try await alice.main.createRoom(["preset": "public_chat"])
            try await bob.main.ok("POST", "/join/\(SuiteClient.escape(roomID))", [:])

            let initial = try await bob.reader.sync()
            #expect(initial["rooms"]?["join"]?[roomID] != nil, "the reader's initial sync has the room main wrote")
            let since = try #require(initial["next_batch"]?.stringValue)

            // A long-poll already waiting on the reader wakes for a message sent on main.
            async let woken = Self.syncUntil(bob.reader, since: since, "the message") { response in
                response.timeline(roomID).contains { $0["content"]?["body"] == "hello from main" }
            }
            try await Task.sleep(for: .milliseconds(300))
            let eventID = try await alice.main.send(roomID, "hello from main")
            let delivered = try await woken
            let next = try #require(delivered["next_batch"]?.stringValue)

            // Typing, receipts and account data written on main reach the reader's sync.
            try await alice.main.ok("PUT", "/rooms/\(SuiteClient.escape(roomID))/typing/\(SuiteClient.escape(alice.main.userID))", ["typing": true, "timeout": 30_000])
            try await alice.main.ok("POST", "/rooms/\(SuiteClient.escape(roomID))/receipt/m.read/\(SuiteClient.escape(eventID))", [:])
            try await bob.main.ok("PUT", "/user/\(SuiteClient.escape(bob.main.userID))/account_data/org.example.colour", ["colour": "teal"])
            var seen: Set<String> = []
            _ = try await Self.syncUntil(bob.reader, since: next, "typing, the receipt and account data") { response in
                let ephemeral = response["rooms"]?["join"]?[roomID]?["ephemeral"]?["events"]?.arrayValue ?? []
                if ephemeral.contains(where: { $0["type"] == "m.typing" && $0["content"]?["user_ids"] == [.string(alice.main.userID)] }) {
                    seen.insert("typing")
                }
                if ephemeral.contains(where: { $0["type"] == "m.receipt" && $0["content"]?[eventID]?["m.read"]?[alice.main.userID] != nil }) {
                    seen.insert("receipt")
                }
                if (response["account_data"]?["events"]?.arrayValue ?? []).contains(where: { $0["type"] == "org.example.colour" }) {
                    seen.insert("account data")
                }
                return seen.count == 3
            }

            // Room reads on the reader.
            let messages = try await bob.reader.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/messages?dir=b&limit=5")
            #expect(messages["chunk"]?.arrayValue?.contains { $0["event_id"] == .string(eventID) } == true)
            let members = try await bob.reader.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/joined_members")
            #expect(members["joined"]?[bob.main.userID] != nil)
            let event = try await bob.reader.ok("GET", "/rooms/\(SuiteClient.escape(roomID))/event/\(SuiteClient.escape(eventID))")
            #expect(event["content"]?["body"] == "hello from main")
            #expect(try await bob.reader.ok("GET", "/user/\(SuiteClient.escape(bob.main.userID))/account_data/org.example.colour")["colour"] == "teal")

            // A write sent to the reader is handed to main, and the reader has seen it by the time it answers.
            let latest = try #require(try await bob.reader.sync(since: next)["next_batch"]?.stringValue)
            let forwarded = try await bob.reader.send(roomID, "written through the reader", txn: "through-reader")
            let immediate = try await bob.reader.sync(since: latest)
            #expect(immediate.timeline(roomID).contains { $0["event_id"] == .string(forwarded) }, "\(immediate)")
            #expect(try await bob.reader.send(roomID, "written through the reader", txn: "through-reader") == forwarded, "a retried txn names the same event")
            #expect(main.log.contains("/send/m.room.message/through-reader"), "main wrote it")
        }
    }

    @Test func messagesSentWhileRedisIsDownReachTheReaderAfterwards() async throws {
        try await withCluster { main, reader, redis in
            let alice = SplitClient(try await SuiteClient.register(main.baseURL, prefix: "alice", recordSecrets: true), readerURL: reader.baseURL)
            let roomID = try await alice.main.createRoom()
            let since = try #require(try await alice.reader.sync()["next_batch"]?.stringValue)

            await redis.stop()
            try await Self.eventually("the reader reports Redis gone") {
                try await TestHTTP.request("GET", reader.baseURL + "/health/ready").status == 503
            }
            var sent: [String] = []
            for index in 0..<5 { sent.append(try await alice.main.send(roomID, "while redis was down \(index)")) }
            try await redis.start()
            try await Self.eventually("the reader is ready again") {
                try await TestHTTP.request("GET", reader.baseURL + "/health/ready").status == 200
            }

            var received: [String] = []
            _ = try await Self.syncUntil(alice.reader, since: since, "every message sent while Redis was down") { response in
                received += response.timeline(roomID).compactMap { $0["event_id"]?.stringValue }.filter(sent.contains)
                return Set(received) == Set(sent)
            }
            #expect(received == sent, "each once, in order")
        }
    }
}
