import CoreMetrics
import Foundation
public import Logging

/// Receives the replication channel on its own thread and connection.
///
/// Failure behaviour: a read that waits longer than `silenceLimit` (every process sends a heartbeat every two
/// seconds, this one included) or fails drops the connection; the thread reconnects with exponential backoff
/// (0.1 s to 5 s) and calls `onSubscribed` each time it is subscribed again, because anything published while it
/// was away is lost to it.
public final class RedisSubscriber: @unchecked Sendable {
    private let lock = NSCondition()
    private var stopped = false
    private var connection: RedisConnection?
    private var subscribed = false

    private let endpoint: RedisEndpoint
    private let channel: String
    private let silenceLimit: Duration
    private let onSubscribed: @Sendable () -> Void
    private let onMessage: @Sendable ([UInt8]) -> Void
    private let logger: Logger
    private let received = Counter(label: "axon_replication_messages_total", dimensions: [("direction", "in")])

    public init(
        endpoint: RedisEndpoint, channel: String, silenceLimit: Duration = .seconds(10), logger: Logger,
        onSubscribed: @escaping @Sendable () -> Void, onMessage: @escaping @Sendable ([UInt8]) -> Void
    ) {
        self.endpoint = endpoint
        self.channel = channel
        self.silenceLimit = silenceLimit
        self.logger = logger
        self.onSubscribed = onSubscribed
        self.onMessage = onMessage
    }

    public func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "axon-redis-subscribe"
        thread.start()
    }

    public func stop() {
        lock.withLock {
            stopped = true
            connection?.interrupt()
            lock.broadcast()
        }
    }

    /// Whether the channel is subscribed now.
    public var isSubscribed: Bool { lock.withLock { subscribed } }

    private func loop() {
        var backoff = Duration.milliseconds(100)
        var failures = 0
        while !lock.withLock({ stopped }) {
            let open: RedisConnection
            do {
                open = try RedisConnection(endpoint, timeout: silenceLimit)
                let reply = try open.command(["SUBSCRIBE", channel])
                guard case .array(let parts) = reply, parts.first == .string(Array("subscribe".utf8)) else {
                    throw RedisError(description: "unexpected answer to SUBSCRIBE: \(reply)")
                }
            } catch {
                failures += 1
                if failures == 1 { logger.warning("replication subscriber cannot reach Redis", metadata: ["error": "\(error)"]) }
                if sleepOrStop(backoff) { return }
                backoff = min(backoff * 2, .seconds(5))
                continue
            }
            let keep = lock.withLock { () -> Bool in
                guard !stopped else { return false }
                connection = open
                subscribed = true
                return true
            }
            guard keep else { return }
            logger.info("replication subscriber connected", metadata: ["redis": "\(endpoint)", "channel": "\(channel)"])
            failures = 0
            backoff = .milliseconds(100)
            onSubscribed()
            read(open)
            lock.withLock {
                connection = nil
                subscribed = false
            }
        }
    }

    /// Hands every message to `onMessage` until the connection fails, falls silent or is stopped.
    private func read(_ open: RedisConnection) {
        while true {
            let reply: RedisConnection.Reply
            do {
                reply = try open.nextReply()
            } catch {
                if !lock.withLock({ stopped }) {
                    logger.warning("replication subscription lost; resubscribing", metadata: ["error": "\(error)"])
                }
                return
            }
            guard case .array(let parts) = reply, parts.count == 3, parts[0] == .string(Array("message".utf8)),
                case .string(let payload) = parts[2]
            else { continue }
            received.increment()
            onMessage(payload)
        }
    }

    private func sleepOrStop(_ duration: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: RedisPublisher.seconds(duration))
        return lock.withLock {
            while !stopped && Date() < deadline { _ = lock.wait(until: deadline) }
            return stopped
        }
    }
}
