import AccountData
import AxonConfig
import CoreMetrics
import Logging
import Receipts
import Replication
import Rooms
import RoomStore
import MatrixHTTP
import ReplicationRedis
import Storage

/// The durable streams one process writes or follows, the services over them, and the bus its notices travel on.
///
/// - Monolith (no Redis): this process writes every stream; notices go to its own subscribers only.
/// - Main process in worker mode: it still writes every stream, and also publishes each notice, each advance of a
///   position and a heartbeat of its positions on Redis for the workers.
/// - Client reader: it writes nothing; it follows the main process's streams over Redis (catching up from the
///   database when a message was lost), and its stores and services answer at the positions it has seen.
struct ProcessStreams {
    let bus: any ReplicationBus
    let store: RoomStore
    let receipts: ReceiptService
    let accountData: AccountDataService
    /// The Redis side in worker mode; `nil` in a monolith.
    let link: ReplicationLink?

    /// `events=N,receipts=N,account_data=N`: how far a worker must read to see everything this process wrote so far.
    func writtenPositions() -> String {
        "\(StreamName.events.rawValue)=\(store.allocatedUpTo),\(StreamName.receipts.rawValue)=\(receipts.allocatedUpTo),"
            + "\(StreamName.accountData.rawValue)=\(accountData.allocatedUpTo)"
    }

    static func open(config: HomeserverConfig, role: ProcessRole, database: any Database, logger: Logger) async throws -> ProcessStreams {
        guard config.redis.enabled else {
            return try await writing(config: config, database: database, bus: InProcessBus(), logger: logger)
        }
        switch role {
        case .main:
            return try await publishing(config: config, database: database, logger: logger)
        default:
            return try await following(config: config, database: database, logger: logger)
        }
    }

    private static func writing(config: HomeserverConfig, database: any Database, bus: any ReplicationBus, logger: Logger) async throws -> ProcessStreams {
        let instance = config.worker.instanceName
        let store = try await RoomStore.open(database: database, instance: instance, logger: logger)
        let receipts = try await StreamIDAllocator.open(stream: StreamName.receipts.rawValue, instance: instance, database: database)
        let accountData = try await StreamIDAllocator.open(stream: StreamName.accountData.rawValue, instance: instance, database: database)
        return ProcessStreams(
            bus: bus, store: store, receipts: ReceiptService(database: database, stream: .writing(receipts), bus: bus),
            accountData: AccountDataService(database: database, stream: .writing(accountData), bus: bus), link: nil
        )
    }

    /// The main process in worker mode: writes as the monolith does and tells the workers.
    private static func publishing(config: HomeserverConfig, database: any Database, logger: Logger) async throws -> ProcessStreams {
        let publisher = Locked<ReplicationLink?>(nil)
        let bus = ForwardingBus { command in publisher.withLock { $0 }?.publisher.send(command) }
        let streams = try await writing(config: config, database: database, bus: bus, logger: logger)
        let positions: [(StreamName, @Sendable () -> Int64, AsyncStream<Int64>)] = [
            (.events, { streams.store.persistedUpTo }, streams.store.positions()),
            (.receipts, { streams.receipts.position }, streams.receipts.positions()),
            (.accountData, { streams.accountData.position }, streams.accountData.positions()),
        ]
        let link = try ReplicationLink(
            config: config, heartbeat: { positions.map { stream, current, _ in .position(stream, current()) } }, follower: nil, logger: logger
        )
        publisher.withLock { $0 = link }
        for (stream, _, advances) in positions {
            Task {
                let gauge = Gauge(label: "axon_stream_position", dimensions: [("stream", stream.rawValue)])
                for await position in advances {
                    link.publisher.send(.position(stream, position))
                    gauge.record(position)
                }
            }
        }
        return ProcessStreams(bus: bus, store: streams.store, receipts: streams.receipts, accountData: streams.accountData, link: link)
    }

    /// A worker: follows the main process's streams, writing none.
    private static func following(config: HomeserverConfig, database: any Database, logger: Logger) async throws -> ProcessStreams {
        let writer = WorkerConfig.mainInstanceName
        let followed: [StreamName] = [.events, .receipts, .accountData]
        var recorded: [StreamName: Int64] = [:]
        for stream in followed {
            recorded[stream] = try await StreamIDAllocator.recordedPosition(stream: stream.rawValue, instance: writer, database: database)
        }
        let follower = StreamFollower(
            instance: config.worker.instanceName, writers: Dictionary(uniqueKeysWithValues: followed.map { ($0, writer) }), positions: recorded,
            logger: logger
        )
        let bus = follower.notices
        let store = RoomStore.follow(database: database, events: FollowedPosition(follower: follower, stream: .events))
        let receipts = ReceiptService(database: database, stream: .following(FollowedPosition(follower: follower, stream: .receipts)), bus: bus)
        let accountData = AccountDataService(
            database: database, stream: .following(FollowedPosition(follower: follower, stream: .accountData)), bus: bus
        )
        // Nothing reaches the follower before the link's subscriber starts with the service group, after the notifier and
        // the typing and presence copies have subscribed to `bus`: none of them misses a notice.
        follower.start { stream, after, upTo in
            switch stream {
            case .events: try await EventNotices.read(from: store, after: after, upTo: upTo)
            case .receipts: try await receipts.notices(after: after, upTo: upTo)
            case .accountData: try await accountData.notices(after: after, upTo: upTo)
            case .typing, .presence: []
            }
        }
        let link = try ReplicationLink(config: config, heartbeat: { [] }, follower: follower, logger: logger)
        return ProcessStreams(bus: bus, store: store, receipts: receipts, accountData: accountData, link: link)
    }
}
