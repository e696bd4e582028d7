import AxonTesting
import Foundation
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// Exactly-once sync with two `events` writers sharing PostgreSQL's sequence, whose commits are delayed at random
/// so they finish out of stream order: users chain sync tokens with small timeline limits and fill each `limited`
/// gap through `/messages`; each must see every event of every room once, in the room's order.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["AXON_TEST_POSTGRES"] != nil, "needs PostgreSQL (make test starts one)"))
struct TwoWriterSyncTests {
    static let roomsPerWriter = 2
    static let userCount = 4
    static let messagesPerSender = 30

    @Test func everyEventIsSeenOnceInOrderWhileTwoWritersCommitOutOfOrder() async throws {
        try await withPostgresDatabase(maxConnections: 8) { database in
            let stack = try await SyncStack.make(
                database: database, writerCount: 2, writerDatabase: { DelayedCommits($0, maxDelayMicroseconds: 20_000) }
            )
            let users = try (0..<Self.userCount).map { try UserID("@user\($0):sync.test") }
            var roomWriters: [(room: RoomID, writer: Int)] = []
            for writer in 0..<2 {
                for _ in 0..<Self.roomsPerWriter {
                    let room = try await stack.createRoom(users[0], writer: writer)
                    for user in users.dropFirst() { try await stack.join(user, room, writer: writer) }
                    roomWriters.append((room, writer))
                }
            }
            let rooms = roomWriters
            let seed = UInt64.random(in: 0...UInt64.max)
            let done = CompletionFlag()
            let readers = users.enumerated().map { index, user in
                Task { try await Self.read(as: user, rooms: rooms.map(\.room), stack: stack, seed: seed &+ UInt64(index), done: done) }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Every user sends into random rooms; each room's writer takes its events, both writers at once.
                for (index, user) in users.enumerated() {
                    group.addTask {
                        var random = SeededRandomNumberGenerator(seed: seed &+ 1_000 &+ UInt64(index))
                        for message in 0..<Self.messagesPerSender {
                            let target = rooms[Int(random.next() % UInt64(rooms.count))]
                            try await stack.send(user, target.room, "u\(index) m\(message)", writer: target.writer)
                        }
                    }
                }
                try await group.waitForAll()
            }
            await done.finish()
            var expected: [RoomID: [String]] = [:]
            for (room, _) in rooms {
                let page = try await stack.reader.messages(
                    in: room, viewer: .init(userID: users[0], deviceID: nil), from: .stream(0), to: nil, direction: .forward, limit: 1_000,
                    filter: .all
                )
                expected[room] = page.chunk.compactMap { $0["event_id"]?.stringValue }
            }
            for (index, reader) in readers.enumerated() {
                let seen = try await reader.value
                for (room, _) in rooms {
                    let own = seen[room] ?? []
                    let all = expected[room] ?? []
                    #expect(!own.isEmpty, "user \(index) never saw \(room)")
                    #expect(Set(own).count == own.count, "user \(index) saw an event twice in \(room) (seed \(seed))")
                    #expect(own == Array(all.suffix(own.count)), "user \(index) saw \(room) out of order or with holes (seed \(seed))")
                }
            }
        }
    }

    /// One user chaining sync tokens with a random small timeline limit, filling each limited gap backwards from
    /// `prev_batch` to the previous token; each room's events in the order the user saw them.
    static func read(as user: UserID, rooms: [RoomID], stack: SyncStack, seed: UInt64, done: CompletionFlag) async throws -> [RoomID: [String]] {
        var random = SeededRandomNumberGenerator(seed: seed)
        var seen: [RoomID: [String]] = [:]
        var since: String?
        let viewer = ClientEventFormat.Viewer(userID: user, deviceID: "DEV")
        while true {
            let finished = await done.finished
            let limit = Int(random.next() % 4) + 1
            let response = try await stack.sync(user, since: since, timelineLimit: limit, timeout: finished ? .zero : .milliseconds(200))
            var newEvents = 0
            for room in rooms {
                let timeline = response["rooms"]?["join"]?[room.rawValue]?["timeline"]
                var events = (timeline?["events"]?.arrayValue ?? []).compactMap { $0["event_id"]?.stringValue }
                if let since, timeline?["limited"] == true, let prevBatch = timeline?["prev_batch"]?.stringValue {
                    var gap: [String] = []
                    var from = RoomToken(prevBatch)
                    while let page = from {
                        let result = try await stack.reader.messages(
                            in: room, viewer: viewer, from: page, to: RoomToken(since), direction: .backward,
                            limit: Int(random.next() % 4) + 2, filter: .all
                        )
                        gap += result.chunk.compactMap { $0["event_id"]?.stringValue }
                        from = result.chunk.isEmpty ? nil : result.end
                    }
                    events = gap.reversed() + events
                }
                seen[room, default: []] += events
                newEvents += events.count
            }
            since = response["next_batch"]?.stringValue
            if finished && newEvents == 0 { return seen }
        }
    }
}

