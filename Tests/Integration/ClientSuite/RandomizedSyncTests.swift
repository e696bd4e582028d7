import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// Concurrent senders in five rooms while ten users chain sync tokens with small timeline limits and fill every
/// `limited` gap through `/messages`: each user must see every event of every room exactly once, in the room's
/// order. Runs on Axon with PostgreSQL, where commits can finish out of stream order, and on the worker cluster
/// behind nginx, where syncs are served by client readers following the writer over Redis, and through one client
/// reader that forwards every write to the main process.
@Suite(.enabled(if: HomeserverKind.axonPostgres.isAvailable, "needs PostgreSQL (make test starts one)"))
struct RandomizedSyncTests {
    static let roomCount = 5
    static let userCount = 10
    static let senderCount = 5
    static let messagesPerSender = 40

    @Test(arguments: [HomeserverKind.axonPostgres, .axonWorkers, .axonForwarding].filter(\.isAvailable))
    func everyEventIsSeenOnceInOrderThroughSyncAndGapFilling(on kind: HomeserverKind) async throws {
        try await kind.run { baseURL, _ in
            var registered: [SuiteClient] = []
            for _ in 0..<Self.userCount { registered.append(try await SuiteClient.register(baseURL, prefix: "r", recordSecrets: true)) }
            let users = registered
            var created: [String] = []
            for _ in 0..<Self.roomCount { created.append(try await users[0].createRoom(["preset": "public_chat"])) }
            let rooms = created
            for user in users.dropFirst() {
                for room in rooms { try await user.ok("POST", "/rooms/\(SuiteClient.escape(room))/join", [:]) }
            }
            let seed = UInt64.random(in: 0...UInt64.max)
            let done = CompletionFlag()
            let readers = users.enumerated().map { index, user in
                Task {
                    var reader = SyncReader(user: user, rooms: rooms, seed: seed &+ UInt64(index))
                    return try await reader.readUntil(done: done)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in 0..<Self.senderCount {
                    group.addTask {
                        var random = SeededRandomNumberGenerator(seed: seed &+ 1_000 &+ UInt64(sender))
                        for index in 0..<Self.messagesPerSender {
                            let room = rooms[Int(random.next() % UInt64(rooms.count))]
                            _ = try await users[sender].send(room, "s\(sender) m\(index)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            await done.finish()
            var expected: [String: [String]] = [:]
            for room in rooms {
                let page = try await users[0].ok("GET", "/rooms/\(SuiteClient.escape(room))/messages?dir=f&limit=1000")
                expected[room] = (page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            }
            #expect(expected.values.map(\.count).reduce(0, +) >= Self.senderCount * Self.messagesPerSender)
            for (index, reader) in readers.enumerated() {
                let seen = try await reader.value
                for room in rooms {
                    let own = seen[room] ?? []
                    let all = expected[room] ?? []
                    #expect(!own.isEmpty, "user \(index) never saw \(room)")
                    #expect(Set(own).count == own.count, "user \(index) saw an event twice in \(room) (seed \(seed))")
                    #expect(own == Array(all.suffix(own.count)), "user \(index) saw \(room) out of order or with holes (seed \(seed))")
                }
            }
        }
    }
}

/// One user chaining sync tokens with a random small timeline limit, filling each limited gap backwards through
/// `/messages` from `prev_batch` to the previous token; returns each room's events in the order the user saw them.
struct SyncReader {
    let user: SuiteClient
    let rooms: [String]
    var random: SeededRandomNumberGenerator

    init(user: SuiteClient, rooms: [String], seed: UInt64) {
        self.user = user
        self.rooms = rooms
        random = SeededRandomNumberGenerator(seed: seed)
    }

    mutating func readUntil(done: CompletionFlag) async throws -> [String: [String]] {
        var seen: [String: [String]] = [:]
        var since: String?
        while true {
            let finished = await done.finished
            let limit = Int(random.next() % 4) + 1
            let response = try await user.sync(since: since, filter: ["room": ["timeline": ["limit": .integer(Int64(limit))]]], timeout: finished ? 0 : 500)
            var newEvents = 0
            for room in rooms {
                let timeline = response["rooms"]?["join"]?[room]?["timeline"]
                var events = (timeline?["events"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
                if let since, timeline?["limited"] == true, let prevBatch = timeline?["prev_batch"]?.stringValue {
                    events = try await gap(room, from: prevBatch, to: since) + events
                }
                seen[room, default: []] += events
                newEvents += events.count
            }
            since = try #require(response["next_batch"]?.stringValue)
            if finished && newEvents == 0 { return seen }
        }
    }

    private mutating func gap(_ room: String, from: String, to: String) async throws -> [String] {
        var collected: [String] = []
        var from = from
        while true {
            let limit = Int(random.next() % 4) + 2
            let page = try await user.ok(
                "GET", "/rooms/\(SuiteClient.escape(room))/messages?dir=b&limit=\(limit)&from=\(SuiteClient.escape(from))&to=\(SuiteClient.escape(to))"
            )
            collected += (page["chunk"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
            guard let end = page["end"]?.stringValue, !(page["chunk"]?.arrayValue ?? []).isEmpty else { return collected.reversed() }
            from = end
        }
    }
}
