import CoreMetrics
import Foundation
public import Logging
public import Replication

/// Publishes this process's replication messages on its own thread and connection, numbering them so followers
/// notice any that are lost.
///
/// Failure behaviour: `send` never blocks; it queues at most `capacity` messages and drops the oldest beyond that
/// (followers see the gap in the numbering and read the durable streams again from the database). While Redis is
/// unreachable the thread reconnects with exponential backoff (0.1 s to 5 s) and then sends what is queued; a
/// message whose reply was lost may be sent twice, which followers recognise by its number. Every
/// `heartbeatInterval` it sends the heartbeat commands (this process's positions and a `PING`), so silence on the
/// channel means a dead connection and a dropped last message is noticed.
public final class RedisPublisher: @unchecked Sendable {
    /// Guards everything below it; the thread waits on it for work.
    private let condition = NSCondition()
    private var queue: [ReplicationMessage] = []
    private var sequence: UInt64 = 0
    private var stopped = false
    private var connected = false

    public let sender: String
    public let run: Int64
    private let endpoint: RedisEndpoint
    private let channel: String
    private let capacity: Int
    private let heartbeatInterval: Duration
    private let heartbeat: @Sendable () -> [ReplicationCommand]
    private let logger: Logger
    private let published = Counter(label: "axon_replication_messages_total", dimensions: [("direction", "out")])
    private let dropped = Counter(label: "axon_replication_messages_dropped_total")

    public init(
        endpoint: RedisEndpoint, channel: String, sender: String, run: Int64, capacity: Int = 10_000,
        heartbeatInterval: Duration = .seconds(2), heartbeat: @escaping @Sendable () -> [ReplicationCommand], logger: Logger
    ) {
        precondition(ReplicationMessage.isValidSender(sender), "replication senders are one word: \(sender)")
        self.endpoint = endpoint
        self.channel = channel
        self.sender = sender
        self.run = run
        self.capacity = capacity
        self.heartbeatInterval = heartbeatInterval
        self.heartbeat = heartbeat
        self.logger = logger
    }

    public func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "axon-redis-publish"
        thread.start()
    }

    /// Ends the thread after its current command; what is still queued is not sent.
    public func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// Whether the last attempt to reach Redis succeeded.
    public var isConnected: Bool { condition.withLock { connected } }

    public func send(_ command: ReplicationCommand) {
        condition.withLock {
            enqueue(command)
            condition.signal()
        }
    }

    /// Numbers and queues a command; must hold the lock.
    private func enqueue(_ command: ReplicationCommand) {
        sequence += 1
        queue.append(ReplicationMessage(sender: sender, run: run, sequence: sequence, command: command))
        if queue.count > capacity {
            queue.removeFirst(queue.count - capacity)
            dropped.increment()
        }
    }

    private func loop() {
        var connection: RedisConnection?
        var backoff = Duration.milliseconds(100)
        var nextHeartbeat = ContinuousClock.now
        while true {
            if connection == nil {
                do {
                    connection = try RedisConnection(endpoint, timeout: .seconds(5))
                    condition.withLock { connected = true }
                    backoff = .milliseconds(100)
                    logger.info("replication publisher connected", metadata: ["redis": "\(endpoint)"])
                } catch {
                    let wasConnected = condition.withLock { () -> Bool in
                        defer { connected = false }
                        return connected
                    }
                    if wasConnected || backoff == .milliseconds(100) {
                        logger.warning("replication publisher cannot reach Redis", metadata: ["error": "\(error)"])
                    }
                    if waitOrStop(for: backoff) { return }
                    backoff = min(backoff * 2, .seconds(5))
                    continue
                }
            }
            guard let open = connection, let batch = nextBatch(heartbeatDue: &nextHeartbeat) else { return }
            var sent = 0
            for message in batch {
                do {
                    _ = try open.command(["PUBLISH", channel, message.encoded])
                    sent += 1
                } catch {
                    logger.warning("replication publish failed; reconnecting", metadata: ["error": "\(error)"])
                    connection = nil
                    break
                }
            }
            published.increment(by: sent)
            if sent < batch.count {
                let unsent = batch[sent...]
                condition.withLock {
                    queue.insert(contentsOf: unsent, at: 0)
                    if queue.count > capacity { queue.removeLast(queue.count - capacity) }
                }
            }
        }
    }

    /// Waits for queued messages or the heartbeat, then takes them all; `nil` once stopped.
    private func nextBatch(heartbeatDue: inout ContinuousClock.Instant) -> [ReplicationMessage]? {
        let due = heartbeatDue
        let beat = ContinuousClock.now >= due
        let commands = beat ? heartbeat() + [.ping] : []
        return condition.withLock { () -> [ReplicationMessage]? in
            for command in commands { enqueue(command) }
            while queue.isEmpty && !stopped && ContinuousClock.now < due {
                _ = condition.wait(until: Date(timeIntervalSinceNow: Self.seconds(due - ContinuousClock.now)))
            }
            if beat { heartbeatDue = ContinuousClock.now + heartbeatInterval }
            if stopped { return nil }
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
    }

    /// Sleeps for `duration` unless stopped first; whether it was stopped.
    private func waitOrStop(for duration: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Self.seconds(duration))
        return condition.withLock {
            while !stopped && Date() < deadline { _ = condition.wait(until: deadline) }
            return stopped
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return max(Double(seconds) + Double(attoseconds) / 1e18, 0)
    }
}
