import MatrixTypes
import Replication
import ReplicationRedis
import Synchronization

/// Tells the other processes (`REMOTE_SERVER_UP`) that a server just sent this one a transaction, so a federation
/// sender in another process that is backing off from it tries again now, as Synapse's workers do. Once a minute per
/// server at most, so a busy peer does not fill the channel.
final class ServerUpAnnouncer: Sendable {
    static let interval: Duration = .seconds(60)
    /// Servers remembered at most; past it the record starts over (an extra announcement costs one line).
    static let capacity = 10_000

    private let publisher: RedisPublisher
    private let announced = Mutex<[ServerName: ContinuousClock.Instant]>([:])

    init(publisher: RedisPublisher) {
        self.publisher = publisher
    }

    func announce(_ server: ServerName) {
        let now = ContinuousClock.now
        let due = announced.withLock { announced in
            if let last = announced[server], now - last < Self.interval { return false }
            if announced.count >= Self.capacity { announced.removeAll(keepingCapacity: true) }
            announced[server] = now
            return true
        }
        if due { publisher.send(.remoteServerUp(server)) }
    }
}
