import AxonConfig
import Logging
import MatrixTypes
import Replication
import ReplicationRedis
import ServiceLifecycle
import Storage

/// This process's connections to the replication channel on Redis: the publisher every process has (its notices,
/// positions and heartbeats) and, in a process that follows other writers, the subscriber feeding its follower.
/// Runs for the life of the process.
final class ReplicationLink: Service {
    let publisher: RedisPublisher
    let subscriber: RedisSubscriber?
    let follower: StreamFollower?
    /// Whether this process serves what it follows, so a silent writer or a lag makes it unready (an event persister
    /// follows its fellows only to move its own position along).
    let servesFollowed: Bool

    /// A follower not heard from for longer than this is not ready: every process sends a heartbeat every 2 s.
    static let silenceLimit: Duration = .seconds(10)

    init(
        config: HomeserverConfig, heartbeat: @escaping @Sendable () -> [ReplicationCommand], follower: StreamFollower?,
        servesFollowed: Bool = true, logger: Logger
    ) throws {
        self.servesFollowed = servesFollowed
        let endpoint = try Self.endpoint(config.redis)
        let channel = config.server.serverName
        publisher = RedisPublisher(
            endpoint: endpoint, channel: channel, sender: config.worker.instanceName, run: currentMilliseconds(), heartbeat: heartbeat,
            logger: logger
        )
        self.follower = follower
        subscriber = follower.map { follower in
            RedisSubscriber(
                endpoint: endpoint, channel: channel, silenceLimit: Self.silenceLimit, logger: logger,
                onSubscribed: { follower.resubscribed() }, onMessage: { follower.receive($0) }
            )
        }
    }

    func run() async throws {
        publisher.start()
        subscriber?.start()
        try? await gracefulShutdown()
        subscriber?.stop()
        publisher.stop()
    }

    /// Returns once the publisher (and a follower's subscriber) first reached Redis.
    func waitUntilConnected() async {
        while !(publisher.isConnected && subscriber?.isSubscribed != false) {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Why this process cannot serve fresh data now, if it cannot.
    func problem() -> ReadinessProblem? {
        guard publisher.isConnected else { return ReadinessProblem(reason: "Redis unreachable", detail: nil) }
        guard let follower, let subscriber else { return nil }
        guard subscriber.isSubscribed else { return ReadinessProblem(reason: "not subscribed to replication", detail: nil) }
        guard servesFollowed else { return nil }
        for (writer, silence) in follower.silence().sorted(by: { $0.key < $1.key }) {
            guard let silence else { return ReadinessProblem(reason: "no replication from \(writer) yet", detail: nil) }
            if silence > Self.silenceLimit {
                return ReadinessProblem(reason: "no replication from \(writer) for \(silence.components.seconds) s", detail: nil)
            }
        }
        for (stream, lag) in follower.lag().sorted(by: { $0.key.rawValue < $1.key.rawValue }) where lag.for > Self.silenceLimit {
            return ReadinessProblem(
                reason: "replication of \(stream.rawValue) behind by \(lag.positions) positions for \(lag.for.components.seconds) s", detail: nil
            )
        }
        return nil
    }

    private static func endpoint(_ redis: RedisConfig) throws -> RedisEndpoint {
        guard !redis.useTLS else {
            throw StartupError("redis.use_tls is not supported by this version; reach Redis over loopback, a private network or `path` (a UNIX socket).")
        }
        return RedisEndpoint(
            address: redis.path.map { .unix(path: $0) } ?? .tcp(host: redis.host, port: redis.port), databaseID: redis.databaseID,
            username: redis.username, password: redis.password?.revealed
        )
    }
}

/// A followed stream's position, as the stores and services that read it expect.
struct FollowedPosition: FollowedStreamPosition {
    let follower: StreamFollower
    let stream: StreamName

    var persistedUpTo: Int64 { follower.position(of: stream) }

    func positions() -> AsyncStream<Int64> {
        follower.positions(of: stream)
    }
}
