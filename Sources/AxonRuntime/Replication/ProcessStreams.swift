import AccountData
import AxonConfig
import E2EE
import CoreMetrics
import Logging
import Receipts
import Replication
import Rooms
import RoomStore
import MatrixHTTP
import MatrixTypes
import ReplicationRedis
import Storage

/// The durable streams one process writes or follows, the services over them, and the bus its notices travel on.
///
/// - Monolith (no Redis): this process writes every stream; notices go to its own subscribers only.
/// - Worker mode: each stream is written by the instances `stream_writers` names (receipts and account data by the
///   main process; events by the main process or by event persisters, several of which share the events sequence).
///   A process publishes each notice, each advance and a heartbeat of the positions of the streams it writes on
///   Redis, and follows the others' (catching up from the database when a message was lost); its stores and
///   services answer at the positions it has seen. An event persister also follows its fellow persisters, so its
///   own position moves along while it is idle (`StreamIDAllocator.observe`).
struct ProcessStreams {
    let bus: any ReplicationBus
    let store: RoomStore
    let receipts: ReceiptService
    let accountData: AccountDataService
    let toDevice: ToDeviceService
    let deviceLists: DeviceListStream
    /// The Redis side in worker mode; `nil` in a monolith.
    let link: ReplicationLink?
    /// Events come (at least partly) from other processes: the notifier must find changed rooms in the database.
    let followsEvents: Bool
    /// This process writes the events of some rooms: it holds their room writer.
    let writesEvents: Bool
    /// Where each events writer stands as this process knows it, which bounds each room's reads.
    let eventWriters: EventWriterPositions

    /// `events=N,receipts=N,…`: how far a worker must read to see everything this process wrote so far.
    func writtenPositions() -> String {
        [
            (StreamName.events, store.allocatedUpTo), (.receipts, receipts.allocatedUpTo), (.accountData, accountData.allocatedUpTo),
            (.toDevice, toDevice.allocatedUpTo), (.deviceLists, deviceLists.allocatedUpTo),
        ].map { "\($0.0.rawValue)=\($0.1)" }.joined(separator: ",")
    }

    /// The streams the main process writes besides events (it may write events too).
    static let mainStreams: [StreamName] = [.receipts, .accountData, .toDevice, .deviceLists]

    static func open(config: HomeserverConfig, role: ProcessRole, database: any Database, logger: Logger) async throws -> ProcessStreams {
        let instance = config.worker.instanceName
        let serverName = try ServerName(config.server.serverName)
        guard config.redis.enabled else {
            let bus = InProcessBus()
            let store = try await RoomStore.open(database: database, instance: instance, logger: logger)
            var written: [StreamName: StreamAccess] = [:]
            for stream in mainStreams {
                written[stream] = .writing(try await StreamIDAllocator.open(stream: stream.rawValue, instance: instance, database: database))
            }
            return ProcessStreams(
                bus: bus, store: store, receipts: ReceiptService(database: database, stream: written[.receipts]!, bus: bus),
                accountData: AccountDataService(database: database, stream: written[.accountData]!, bus: bus),
                toDevice: ToDeviceService(database: database, stream: written[.toDevice]!, bus: bus, serverName: serverName),
                deviceLists: DeviceListStream(database: database, stream: written[.deviceLists]!, bus: bus, store: store, serverName: serverName),
                link: nil, followsEvents: false, writesEvents: true, eventWriters: EventWriterPositions(soleWriter: store)
            )
        }
        return try await workerMode(config: config, role: role, database: database, serverName: serverName, logger: logger)
    }

    /// Worker mode: writes what `stream_writers` gives this instance, follows the rest.
    private static func workerMode(
        config: HomeserverConfig, role: ProcessRole, database: any Database, serverName: ServerName, logger: Logger
    ) async throws -> ProcessStreams {
        let instance = config.worker.instanceName
        let main = WorkerConfig.mainInstanceName
        let eventWriters = config.worker.streamWriters.events
        let writesEvents = eventWriters.contains(instance)
        let writesMainStreams = role == .main
        var writers: [StreamName: [String]] = [:]
        let otherEventWriters = eventWriters.filter { $0 != instance }
        if !otherEventWriters.isEmpty { writers[.events] = otherEventWriters }
        if !writesMainStreams {
            for stream in mainStreams { writers[stream] = [main] }
        }
        var recorded: [StreamName: [String: Int64]] = [:]
        for (stream, names) in writers {
            for name in names {
                recorded[stream, default: [:]][name] = try await StreamIDAllocator.recordedPosition(stream: stream.rawValue, instance: name, database: database)
            }
        }

        let writingStore: RoomStore? = writesEvents ? try await RoomStore.open(database: database, instance: instance, logger: logger) : nil
        let follower: StreamFollower? =
            writers.isEmpty
            ? nil
            : StreamFollower(
                instance: instance, writers: writers, positions: recorded,
                onWriterPosition: { stream, _, position in
                    if stream == .events { writingStore?.observeOtherWriter(at: position) }
                },
                logger: logger
            )
        let publisher = Locked<ReplicationLink?>(nil)
        let writesSomething = writesEvents || writesMainStreams
        let bus: any ReplicationBus =
            writesSomething
            ? ForwardingBus(local: follower?.notices ?? InProcessBus()) { command in publisher.withLock { $0 }?.publisher.send(command) }
            : follower!.notices
        let store = writingStore ?? RoomStore.follow(database: database, events: FollowedPosition(follower: follower!, stream: .events))
        var access: [StreamName: StreamAccess] = [:]
        for stream in mainStreams {
            access[stream] =
                writesMainStreams
                ? .writing(try await StreamIDAllocator.open(stream: stream.rawValue, instance: instance, database: database))
                : .following(FollowedPosition(follower: follower!, stream: stream))
        }
        let receipts = ReceiptService(database: database, stream: access[.receipts]!, bus: bus)
        let accountData = AccountDataService(database: database, stream: access[.accountData]!, bus: bus)
        let toDevice = ToDeviceService(database: database, stream: access[.toDevice]!, bus: bus, serverName: serverName)
        let deviceLists = DeviceListStream(database: database, stream: access[.deviceLists]!, bus: bus, store: store, serverName: serverName)

        let eventsWritten: [(StreamName, @Sendable () -> Int64, AsyncStream<Int64>)] =
            writesEvents ? [(.events, { @Sendable in store.persistedUpTo }, store.positions())] : []
        let mainStreamsWritten: [(StreamName, @Sendable () -> Int64, AsyncStream<Int64>)] =
            writesMainStreams
            ? mainStreams.map { stream in
                let written = access[stream]!
                return (stream, { @Sendable in written.persistedUpTo }, written.positions())
            } : []
        let written = eventsWritten + mainStreamsWritten
        let servesReads = role != .eventPersister
        let link = try ReplicationLink(
            config: config, heartbeat: { written.map { stream, current, _ in .position(stream, current()) } }, follower: follower,
            servesFollowed: servesReads, logger: logger
        )
        publisher.withLock { $0 = link }
        for (stream, _, advances) in written {
            Task {
                let gauge = Gauge(label: "axon_stream_position", dimensions: [("stream", stream.rawValue)])
                for await position in advances {
                    link.publisher.send(.position(stream, position))
                    gauge.record(position)
                }
            }
        }
        // Nothing reaches the follower before the link's subscriber starts with the service group, after the notifier and
        // the typing and presence copies have subscribed to `bus`: none of them misses a notice.
        follower?.start { stream, after, upTo in
            // An event persister follows its fellows only for their positions; nothing in it reads their notices.
            guard servesReads else { return [] }
            switch stream {
            case .events: return try await EventNotices.read(from: store, after: after, upTo: upTo)
            case .receipts: return try await receipts.notices(after: after, upTo: upTo)
            case .accountData: return try await accountData.notices(after: after, upTo: upTo)
            case .toDevice: return try await toDevice.notices(after: after, upTo: upTo)
            case .deviceLists: return try await deviceLists.notices(after: after, upTo: upTo)
            case .typing, .presence: return []
            }
        }
        let eventWriterPositions = EventWriterPositions(
            ownership: RoomOwnership(writers: eventWriters),
            writers: eventWriters.map { name in
                guard name != instance, let follower else { return .init(read: { store.persistedUpTo }, advances: store.positions()) }
                return .init(read: { follower.position(of: .events, writer: name) }, advances: follower.positions(of: .events, writer: name))
            }
        )
        return ProcessStreams(
            bus: bus, store: store, receipts: receipts, accountData: accountData, toDevice: toDevice, deviceLists: deviceLists, link: link,
            followsEvents: !otherEventWriters.isEmpty,
            writesEvents: writesEvents, eventWriters: eventWriterPositions
        )
    }
}
