import AxonTesting
import Logging
import MatrixTypes
import Replication
import ReplicationRedis
import Synchronization
import Testing

/// The publisher and subscriber through a real Redis, which is stopped and started under them.
@Suite(.enabled(if: RedisServer.isAvailable, "needs redis-server (make test-deps installs it)"))
struct RedisReplicationTests {
    final class Inbox: Sendable {
        let lines = Mutex<[ReplicationMessage]>([])
        let subscriptions = Mutex(0)

        func messages(from sender: String) -> [ReplicationMessage] {
            lines.withLock { $0.filter { $0.sender == sender } }
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let description: String
    }

    func until(_ condition: () -> Bool, timeout: Duration = .seconds(20), _ what: String = #function, line: Int = #line) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw TimedOut(description: "condition on line \(line) of \(what) not met in \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func link(_ redis: RedisServer, inbox: Inbox, heartbeat: Duration = .milliseconds(200)) -> (RedisPublisher, RedisSubscriber) {
        let endpoint = RedisEndpoint(address: .tcp(host: "127.0.0.1", port: redis.port))
        let logger = Logger(label: "test")
        let publisher = RedisPublisher(
            endpoint: endpoint, channel: "example.org", sender: "main", run: 1, heartbeatInterval: heartbeat,
            heartbeat: { [.position(.events, 3)] }, logger: logger
        )
        let subscriber = RedisSubscriber(
            endpoint: endpoint, channel: "example.org", silenceLimit: .seconds(2), logger: logger,
            onSubscribed: { inbox.subscriptions.withLock { $0 += 1 } },
            onMessage: { payload in
                if let message = ReplicationMessage(String(decoding: payload, as: UTF8.self)) { inbox.lines.withLock { $0.append(message) } }
            }
        )
        return (publisher, subscriber)
    }

    @Test func messagesArriveInOrderWithHeartbeats() async throws {
        let redis = try await RedisServer()
        let inbox = Inbox()
        let (publisher, subscriber) = link(redis, inbox: inbox)
        subscriber.start()
        try await until { subscriber.isSubscribed }
        publisher.start()
        defer {
            publisher.stop()
            subscriber.stop()
        }
        let room = try RoomID("!r:example.org")
        for position in 1...200 { publisher.send(.data(StreamNotice(stream: .events, position: Int64(position), roomID: room))) }
        try await until { inbox.messages(from: "main").contains { $0.command == .data(StreamNotice(stream: .events, position: 200, roomID: room)) } }
        let numbers = inbox.messages(from: "main").map(\.sequence)
        #expect(numbers == Array(1...UInt64(numbers.count)), "numbered without a gap, in order")
        try await until { inbox.messages(from: "main").contains { $0.command == .ping } }
        #expect(inbox.messages(from: "main").contains { $0.command == .position(.events, 3) }, "the heartbeat carries the positions")
    }

    @Test func bothSidesComeBackAfterRedisRestartsAndTheGapShows() async throws {
        let redis = try await RedisServer()
        let inbox = Inbox()
        let (publisher, subscriber) = link(redis, inbox: inbox)
        subscriber.start()
        publisher.start()
        defer {
            publisher.stop()
            subscriber.stop()
        }
        try await until { subscriber.isSubscribed && publisher.isConnected }
        publisher.send(.position(.receipts, 1))
        try await until { inbox.messages(from: "main").contains { $0.command == .position(.receipts, 1) } }
        await redis.stop()
        publisher.send(.position(.receipts, 2))
        try await until { !subscriber.isSubscribed }
        try await redis.start()
        try await until { inbox.subscriptions.withLock { $0 } >= 2 }
        publisher.send(.position(.receipts, 3))
        try await until { inbox.messages(from: "main").contains { $0.command == .position(.receipts, 3) } }
        #expect(publisher.isConnected)
        // Whatever was lost while Redis was down, the numbering shows it or the message came through.
        let numbers = inbox.messages(from: "main").map(\.sequence)
        #expect(numbers == numbers.sorted())
    }

    @Test func aSilentChannelDropsTheSubscription() async throws {
        let redis = try await RedisServer()
        let inbox = Inbox()
        let (_, subscriber) = link(redis, inbox: inbox)
        subscriber.start()
        defer { subscriber.stop() }
        try await until { inbox.subscriptions.withLock { $0 } >= 1 }
        // No publisher sends heartbeats: after the silence limit the subscriber reconnects.
        try await until({ inbox.subscriptions.withLock { $0 } >= 2 }, timeout: .seconds(10))
    }
}
