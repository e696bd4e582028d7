public import E2EE
public import Federation
public import Logging
public import MatrixTypes
public import RoomStore
import NIOHTTP1
public import Receipts
public import Replication
import Storage
import Synchronization

/// Sends the events this server's users write to every other server in their rooms. It follows the events stream
/// from where it stands when it starts, takes each event that joined a room's timeline and was sent by a local
/// user, and queues it for each server with a user joined to the room (and, for a membership change, the member's
/// own server), one `DestinationQueue` per destination. Local users' typing, public read receipts and presence go the
/// same way as EDUs, from the bus's notices (presence to every server sharing a room with the user). With several senders (`federation_sender_instances`) each serves the
/// destinations that hash to it.
///
/// Queues live in memory; what a restart must not lose is in the database (`CatchUpTable`): where the sender stands
/// in the events stream, and per destination and room the newest event queued and the newest acknowledged. A
/// restarted sender reads what was written while it was down without queueing it, then sends each destination the
/// newest event of every room it has not acknowledged, and the destination fetches the rest (`get_missing_events`),
/// as Synapse catches a destination up.
public final class FederationSender: Sendable {
    let database: any Database
    let store: RoomStore
    let bus: any ReplicationBus
    let receipts: ReceiptService
    let outbox: EncryptionOutbox
    let client: FederationClient
    let serverName: ServerName
    let shard: (index: Int, count: Int)
    let instance: String
    let logger: Logger
    private let queues = Mutex<[ServerName: DestinationQueue]>([:])
    /// The local users last announced typing in each room, to tell who stopped.
    private let typing = Mutex<[RoomID: Set<UserID>]>([:])
    private let transactionPrefix: String

    /// Events read from the stream at once.
    static let batchSize = 200
    /// How often the stream position is recorded when nothing was queued (a server alone in its rooms), so a restart
    /// does not read far back.
    static let idlePositionInterval: Duration = .seconds(10)
    /// Rooms read at once when catching destinations up after a restart.
    static let catchUpPage = 1_000

    public init(
        database: any Database, store: RoomStore, bus: any ReplicationBus, receipts: ReceiptService, client: FederationClient,
        serverName: ServerName, instances: [String], instance: String, logger: Logger, clock: @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.database = database
        self.outbox = EncryptionOutbox(database: database)
        self.store = store
        self.instance = instance
        self.bus = bus
        self.receipts = receipts
        self.client = client
        self.serverName = serverName
        shard = (instances.firstIndex(of: instance) ?? 0, max(instances.count, 1))
        self.logger = logger
        // Transaction IDs must not repeat for a destination, across restarts too.
        transactionPrefix = "\(clock())_"
    }

    /// Whether `destination` falls to this sender.
    func serves(_ destination: ServerName) -> Bool {
        shard.count == 1 || Int(StableHash.fnv1a(destination.rawValue.utf8) % UInt64(shard.count)) == shard.index
    }

    /// `destination` was heard from: its queue retries now rather than after its backoff.
    public func wake(_ destination: ServerName) {
        let queue = queues.withLock { $0[destination] }
        if let queue { Task { await queue.wake() } }
    }

    /// Follows the events stream, the bus's typing and receipt notices and the encryption outbox until cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.sendEvents() }
            group.addTask { await self.sendEphemeral() }
            group.addTask { await self.sendOutbox() }
        }
    }

    /// How often the outbox is looked at without a notice (one lost with a Redis connection, or from before a restart).
    static let outboxInterval: Duration = .seconds(10)

    /// Hands each destination with to-device messages or device-list updates waiting to its queue, which reads them
    /// from the database: when the `to_device` or `device_lists` stream advances, at start, and every `outboxInterval`.
    private func sendOutbox() async {
        let (wakes, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        bus.subscribe { notice in
            if notice.stream == .toDevice || notice.stream == .deviceLists { continuation.yield() }
        }
        let ticker = Task {
            while !Task.isCancelled {
                continuation.yield()
                try? await Task.sleep(for: Self.outboxInterval)
            }
        }
        await withTaskCancellationHandler {
            for await _ in wakes {
                do {
                    for destination in try await outbox.destinations() where serves(destination) {
                        await queue(for: destination).durableEDUsWaiting()
                    }
                } catch {
                    logger.warning("could not read the encryption outbox", metadata: ["error": "\(error)"])
                }
            }
        } onCancel: {
            ticker.cancel()
            continuation.finish()
        }
    }

    private func sendEphemeral() async {
        let (notices, continuation) = AsyncStream<StreamNotice>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        bus.subscribe { notice in
            if [.typing, .receipts, .presence].contains(notice.stream) { continuation.yield(notice) }
        }
        await withTaskCancellationHandler {
            for await notice in notices {
                if case (.presence, .presence(_, let row)?) = (notice.stream, notice.row), let user = notice.users.first {
                    await sendPresence(of: user, row)
                    continue
                }
                guard let room = notice.roomID else { continue }
                let edus: [JSONValue]
                switch (notice.stream, notice.row) {
                case (.typing, .typing(_, let users)?): edus = typingChanges(in: room, now: users)
                case (.receipts, _): edus = await receiptEDUs(in: room, users: notice.users, at: notice.position)
                default: edus = []
                }
                guard !edus.isEmpty, let destinations = try? await destinations(of: room) else { continue }
                for destination in destinations { await queue(for: destination).enqueue(edus: edus) }
            }
        } onCancel: {
            continuation.finish()
        }
    }

    /// An `m.presence` EDU with a local `user`'s presence, for every server sharing a room with them.
    private func sendPresence(of user: UserID, _ row: PresenceRow) async {
        guard user.serverName == serverName else { return }
        var update = row.content(now: currentMilliseconds())
        update["user_id"] = .string(user.rawValue)
        let edu: JSONValue = ["edu_type": "m.presence", "content": ["push": [.object(update)]]]
        var destinations: Set<ServerName> = []
        for room in (try? await store.rooms(of: user, membership: "join")) ?? [] {
            destinations.formUnion((try? await self.destinations(of: room)) ?? [])
        }
        for destination in destinations { await queue(for: destination).enqueue(edus: [edu]) }
    }

    /// `m.typing` EDUs for the local users who started or stopped typing in `room`, now that `users` are typing.
    private func typingChanges(in room: RoomID, now users: [UserID]) -> [JSONValue] {
        let current = Set(users.filter { $0.serverName == serverName })
        let before = typing.withLock { state in
            defer { state[room] = current.isEmpty ? nil : current }
            return state[room] ?? []
        }
        return current.symmetricDifference(before).sorted { $0.rawValue < $1.rawValue }.map { user in
            [
                "edu_type": "m.typing",
                "content": ["room_id": .string(room.rawValue), "user_id": .string(user.rawValue), "typing": .bool(current.contains(user))],
            ]
        }
    }

    /// An `m.receipt` EDU with the public read receipts local `users` moved at `position`.
    private func receiptEDUs(in room: RoomID, users: [UserID], at position: Int64) async -> [JSONValue] {
        var readers: JSONObject = [:]
        for user in users where user.serverName == serverName {
            guard let content = try? await receipts.receipts(in: [room], after: position - 1, upTo: position, viewer: user)[room] else { continue }
            for (eventID, byType) in content.objectValue ?? [:] {
                guard let receipt = byType["m.read"]?[user.rawValue] else { continue }
                readers[user.rawValue] = ["event_ids": [.string(eventID)], "data": receipt]
            }
        }
        guard !readers.isEmpty else { return [] }
        return [["edu_type": "m.receipt", "content": [room.rawValue: ["m.read": .object(readers)]]]]
    }

    /// The other servers with a user joined to `room` that this sender serves.
    private func destinations(of room: RoomID) async throws(RoomStoreError) -> [ServerName] {
        try await joinedServers(of: room).filter { $0 != serverName && serves($0) }.sorted { $0.rawValue < $1.rawValue }
    }

    /// The servers with a user joined to `room`, this one included.
    private func joinedServers(of room: RoomID) async throws(RoomStoreError) -> Set<ServerName> {
        Set(try await store.members(of: room, membership: "join").map(\.serverName))
    }

    private func sendEvents() async {
        let now = store.persistedUpTo
        var position: Int64
        do {
            position = try await database.read { connection in try CatchUpTable.position(instance: self.instance, in: connection) } ?? now
        } catch {
            logger.warning("reading where the sender stopped failed; starting from now", metadata: ["error": "\(error)"])
            position = now
        }
        // What was written while this sender was down is recorded, not queued: the catch-up below sends each room's newest.
        position = await follow(from: position, upTo: now, queueing: false)
        await catchUp()
        var lastRecorded = ContinuousClock.now
        for await upTo in store.positions() {
            position = await follow(from: position, upTo: upTo, queueing: true, lastRecorded: &lastRecorded)
        }
    }

    /// Takes the events in `(position, upTo]` in batches; returns where it got to.
    private func follow(from start: Int64, upTo: Int64, queueing: Bool) async -> Int64 {
        var lastRecorded = ContinuousClock.now - Self.idlePositionInterval
        return await follow(from: start, upTo: upTo, queueing: queueing, lastRecorded: &lastRecorded)
    }

    private func follow(from start: Int64, upTo: Int64, queueing: Bool, lastRecorded: inout ContinuousClock.Instant) async -> Int64 {
        var position = start
        while position < upTo, !Task.isCancelled {
            do {
                let events = try await store.timelineEvents(after: position, upTo: upTo, limit: Self.batchSize)
                let next = events.count < Self.batchSize ? upTo : (events.last?.streamOrdering ?? upTo)
                let planned = try await destinations(of: events)
                let queued = Self.newest(planned)
                // Recorded before queueing: an acknowledgement is never recorded ahead of what it acknowledges, and a
                // failed write is retried without queueing the batch twice.
                if !queued.isEmpty || ContinuousClock.now - lastRecorded >= Self.idlePositionInterval {
                    try await database.write { transaction in
                        try CatchUpTable.record(queued, position: next, instance: self.instance, in: transaction)
                    }
                    lastRecorded = ContinuousClock.now
                }
                if queueing {
                    for (destination, pdu) in planned { await queue(for: destination).enqueue(pdus: [pdu]) }
                }
                position = next
            } catch {
                logger.warning("reading events to send failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
        return position
    }

    /// Queues, for each destination behind in a room, the room's newest event queued for it.
    private func catchUp() async {
        do {
            var last: CatchUpTable.Queued?
            var rooms = 0
            while true {
                let page = try await database.read { [last] connection in
                    try CatchUpTable.behind(after: last, limit: Self.catchUpPage, in: connection)
                }
                for entry in page {
                    guard let destination = try? ServerName(entry.destination), serves(destination),
                        let event = try await store.timelineEvents(after: entry.ordering - 1, upTo: entry.ordering, limit: 1).first,
                        let json = try? JSONValue.parse(event.json)
                    else { continue }
                    rooms += 1
                    await queue(for: destination).enqueue(pdus: [QueuedPDU(json: json, roomID: entry.roomID, streamOrdering: entry.ordering)])
                }
                guard page.count == Self.catchUpPage else { break }
                last = page.last
            }
            if rooms > 0 { logger.info("catching destinations up", metadata: ["rooms": "\(rooms)"]) }
        } catch {
            logger.warning("catching destinations up failed", metadata: ["error": "\(error)"])
        }
    }

    /// Each local event of `events` with each destination it goes to, in order.
    private func destinations(of events: [StoredEvent]) async throws(RoomStoreError) -> [(ServerName, QueuedPDU)] {
        var planned: [(ServerName, QueuedPDU)] = []
        var servers: [RoomID: Set<ServerName>] = [:]
        for event in events where event.sender.serverName == serverName {
            if servers[event.roomID] == nil { servers[event.roomID] = try await joinedServers(of: event.roomID) }
            var destinations = servers[event.roomID] ?? []
            if event.type.hasSameBytes(as: "m.room.member"), let member = event.stateKey.flatMap({ try? UserID($0) }) {
                destinations.insert(member.serverName)
            }
            destinations.remove(serverName)
            guard !destinations.isEmpty, let json = try? JSONValue.parse(event.json) else { continue }
            let pdu = QueuedPDU(json: json, roomID: event.roomID.rawValue, streamOrdering: event.streamOrdering)
            for destination in destinations.sorted(by: { $0.rawValue < $1.rawValue }) where serves(destination) {
                planned.append((destination, pdu))
            }
        }
        return planned
    }

    /// The newest event per destination and room among `planned`.
    private static func newest(_ planned: [(ServerName, QueuedPDU)]) -> [CatchUpTable.Queued] {
        var newest: [String: CatchUpTable.Queued] = [:]
        for (destination, pdu) in planned {
            newest["\(destination.rawValue) \(pdu.roomID)"] = CatchUpTable.Queued(
                destination: destination.rawValue, roomID: pdu.roomID, ordering: pdu.streamOrdering
            )
        }
        return Array(newest.values)
    }

    private func queue(for destination: ServerName) -> DestinationQueue {
        queues.withLock { queues in
            if let queue = queues[destination] { return queue }
            let (client, origin, database, logger) = (client, serverName, database, logger)
            let queue = DestinationQueue(
                destination: destination, transactionPrefix: transactionPrefix, retries: client.retries, logger: logger, durable: outbox,
                delivered: { pdus in
                    let acknowledged = pdus.map { CatchUpTable.Queued(destination: destination.rawValue, roomID: $0.roomID, ordering: $0.streamOrdering) }
                    do {
                        try await database.write { transaction in try CatchUpTable.delivered(acknowledged, in: transaction) }
                    } catch {
                        logger.warning("recording a delivered transaction failed", metadata: ["destination": "\(destination)", "error": "\(error)"])
                    }
                }
            ) { txnID, pdus, edus throws(FederationRequestError) in
                _ = try await client.send(
                    .PUT, "/_matrix/federation/v1/send/\(FederationTarget.encoded(txnID))", to: destination,
                    content: [
                        "origin": .string(origin.rawValue), "origin_server_ts": .integer(currentMilliseconds()), "pdus": .array(pdus),
                        "edus": .array(edus),
                    ],
                    retrying: false
                )
            }
            queues[destination] = queue
            return queue
        }
    }
}
