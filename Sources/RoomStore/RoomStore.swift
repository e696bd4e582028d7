import CoreMetrics
public import Logging
public import MatrixTypes
public import Storage
import Synchronization

/// Room data storage (design §5): events as received with their indexed columns, state at every event as
/// groups of deltas over snapshots, forward extremities, client transaction IDs and current memberships.
///
/// ```swift
/// let store = try await RoomStore.open(database: db, instance: "main")
/// let orderings = try await store.persist([event])      // one transaction for the whole batch
/// let state = try await store.state(after: event.eventID)
/// ```
///
/// Only the room's writer persists; every process may read. A process that does not write events opens the store
/// with `follow`, learning the `events` position from replication.
public final class RoomStore: Sendable {
    let database: any Database
    public let policy: StateGroupPolicy
    private let events: StreamAccess
    /// Where history fetched from other servers is stored (`persistHistory`), in a writing store: stream orderings
    /// counted down from -1 (this stream's IDs negated), below every position a sync token names.
    private let history: StreamIDAllocator?
    /// Events committed, for the metrics endpoint (database work per event is the ratio of the two counts).
    private let persisted = Counter(label: "axon_events_persisted_total")
    /// NIDs reads have found: nearly every read starts from a room ID or a state key, and their NIDs never change.
    private let knownRoomNIDs: InternedIDCache<RoomID>
    private let knownStateKeyNIDs = InternedIDCache<StateKey>(capacity: 50_000)
    /// The newest events of the rooms this store writes, which most incremental syncs read.
    let recentTimelines: RecentTimelines
    /// What committed batches interned and grouped, which the writer's next batch reuses.
    let committed: CommittedIDs
    /// Slot reads in flight, which the long-polls one message wakes share.
    let sharedSlotReads = SharedReads<SlotsRead, StateSlots>()

    private init(
        database: any Database, policy: StateGroupPolicy, events: StreamAccess, history: StreamIDAllocator?, recent: RecentTimelineLimits
    ) {
        self.database = database
        self.policy = policy
        self.events = events
        self.history = history
        self.recentTimelines = RecentTimelines(limits: recent)
        let roomNIDs = InternedIDCache<RoomID>(capacity: 20_000)
        self.knownRoomNIDs = roomNIDs
        self.committed = CommittedIDs(
            roomNIDs: roomNIDs, eventNIDs: InternedIDCache(capacity: 50_000), stateGroups: InternedIDCache(capacity: 50_000)
        )
    }

    /// Opens the store, resuming the `events` stream of writer `instance`.
    public static func open(
        database: any Database,
        instance: String,
        policy: StateGroupPolicy = StateGroupPolicy(),
        recent: RecentTimelineLimits = RecentTimelineLimits(),
        logger: Logger = Logger(label: "axon.roomstore")
    ) async throws(RoomStoreError) -> RoomStore {
        let (streamIDs, history) = try await RoomStoreError.catching {
            (
                try await StreamIDAllocator.open(stream: "events", instance: instance, database: database, logger: logger),
                try await StreamIDAllocator.open(stream: "backfill", instance: instance, database: database, logger: logger)
            )
        }
        return RoomStore(database: database, policy: policy, events: .writing(streamIDs), history: history, recent: recent)
    }

    /// Opens the store for reading only, in a process that learns the `events` position from replication.
    public static func follow(
        database: any Database, events position: any FollowedStreamPosition, policy: StateGroupPolicy = StateGroupPolicy()
    ) -> RoomStore {
        RoomStore(database: database, policy: policy, events: .following(position), history: nil, recent: RecentTimelineLimits())
    }

    /// The writer instance recorded on every event this store persists (empty in a following store).
    public var instanceName: String {
        guard case .writing(let streamIDs) = events else { return "" }
        return streamIDs.instance
    }

    /// The `events` position below which every stream ordering is committed or abandoned.
    public var persistedUpTo: Int64 { events.persistedUpTo }

    /// The highest stream ordering this process has handed out (its persisted position where it only follows).
    public var allocatedUpTo: Int64 { events.allocatedUpTo }

    /// The persisted-up-to position now and after every advance (or when the writer becomes idle), for notifiers.
    public func positions() -> AsyncStream<Int64> {
        events.positions()
    }

    /// Another process writing events (sharing the sequence) reached `position`; this writer's position follows once it
    /// has nothing unfinished (`StreamIDAllocator.observe`). Nothing happens in a following store.
    public func observeOtherWriter(at position: Int64) {
        guard case .writing(let streamIDs) = events else { return }
        streamIDs.observe(otherWriterAt: position)
    }

    /// The highest stream ordering any writer has been given: a sync token beyond it is from the future.
    public func maxAllocated() async throws(RoomStoreError) -> Int64 {
        try await RoomStoreError.catching {
            switch events {
            case .writing(let streamIDs): try await streamIDs.maxAllocated()
            case .following: try await StreamIDAllocator.maxAllocated(stream: "events", database: database)
            }
        }
    }

    /// Persists `events` in order, in one transaction: all of them are stored or none is.
    ///
    /// Events may build on events earlier in the same batch. `announce` gets their stream orderings once they
    /// are committed and before `persistedUpTo` may pass them (also when a commit reported as failed turns out to
    /// have happened), so notices it publishes never trail the position readers sync to.
    /// - Returns: each event's stream ordering.
    @discardableResult
    public func persist(_ events: [NewEvent], announce: (@Sendable ([Int64]) -> Void)? = nil) async throws(RoomStoreError) -> [Int64] {
        precondition(!events.isEmpty, "persist needs at least one event")
        let streamIDs = try RoomStoreError.catchingNow { try self.events.writer("events") }
        let instanceName = instanceName
        let policy = policy
        let recentTimelines = recentTimelines
        let committed = committed
        let written = Mutex<CommittedIDs.Batch?>(nil)
        let (_, orderings) = try await RoomStoreError.catching {
            try await streamIDs.write(
                count: events.count,
                isCommitted: { connection, orderings in try EventsTable.hasAny(connection, streamOrderings: orderings) },
                onCommit: { orderings in
                    if let batch = written.withLock({ $0 }) { committed.remember(batch) }
                    recentTimelines.record(events, orderings: orderings)
                    announce?(orderings)
                }
            ) { transaction, orderings in
                var writer = EventWriter(transaction: transaction, instanceName: instanceName, policy: policy, committed: committed)
                try writer.internEventIDs(of: events)
                for (event, ordering) in zip(events, orderings) {
                    try writer.write(event, streamOrdering: ordering)
                }
                try writer.finish()
                written.withLock { $0 = writer.interned }
            }
        }
        persisted.increment(by: events.count)
        return orderings
    }

    /// Stream orderings for `count` events of history fetched from other servers, ascending, all below those reserved
    /// before (which were for newer history): the IDs of the `backfill` stream, negated. Nothing follows that stream,
    /// so positions are reserved up front and the events stored at them one by one (`persistHistory`), each checked
    /// against the state the one before it recorded.
    public func reserveHistoryOrderings(_ count: Int) async throws(RoomStoreError) -> [Int64] {
        precondition(count > 0, "at least one ordering is reserved")
        guard let history else { throw .storage(.notStreamWriter("backfill")) }
        let (_, ids) = try await RoomStoreError.catching { try await history.write(count: count) { _, _ in } }
        return ids.reversed().map { -$0 }
    }

    /// Persists history fetched from other servers (events marked `historical`, and outliers their state needs) at
    /// `orderings` reserved for them, in one transaction. Nothing is announced: no sync position passes them.
    public func persistHistory(_ events: [NewEvent], at orderings: [Int64]) async throws(RoomStoreError) {
        precondition(!events.isEmpty && events.count == orderings.count, "one reserved ordering per event")
        let instanceName = instanceName
        let policy = policy
        let committed = committed
        let batch = try await RoomStoreError.catching {
            try await database.write { transaction in
                var writer = EventWriter(transaction: transaction, instanceName: instanceName, policy: policy, committed: committed)
                try writer.internEventIDs(of: events)
                for (event, ordering) in zip(events, orderings) {
                    try writer.write(event, streamOrdering: ordering)
                }
                try writer.finish()
                return writer.interned
            }
        }
        committed.remember(batch)
        persisted.increment(by: events.count)
    }

    /// Events the room's stored history refers to without holding them in its timeline, referred to by events at
    /// or below `depth`, nearest first, at most `limit`: where older history is asked for.
    public func backwardExtremities(in roomID: RoomID, atOrBelow depth: Int64, limit: Int) async throws(RoomStoreError) -> [EventID] {
        let ids = try await read { connection throws(StorageError) -> [String] in
            guard let room = try self.roomNID(roomID, in: connection) else { return [] }
            return try BackwardExtremitiesTable.list(roomNID: room, depth: depth, limit: limit, in: connection)
        }
        return try ids.map { id throws(RoomStoreError) in try parseStored(id) }
    }

    /// The events with stream orderings in `(after, upTo]`, at most `limit` of them, in order.
    public func writtenEvents(after: Int64, upTo: Int64, limit: Int) async throws(RoomStoreError) -> [EventStreamEntry] {
        try await read { connection throws(StorageError) in try EventsTable.written(after: after, upTo: upTo, limit: limit, in: connection) }
    }

    public func event(_ eventID: EventID) async throws(RoomStoreError) -> StoredEvent? {
        guard let row = try await read({ connection throws(StorageError) in try EventsTable.find(eventID, in: connection) }) else {
            return nil
        }
        return try storedEvent(row)
    }

    /// The stored events among `ids` whatever their status (outliers, rejected and soft-failed included), in no
    /// particular order; unknown IDs are left out.
    public func storedEvents(_ ids: some Collection<EventID>) async throws(RoomStoreError) -> [StoredEvent] {
        guard !ids.isEmpty else { return [] }
        let raw = ids.map(\.rawValue)
        let rows = try await read { connection throws(StorageError) in try EventsTable.find(raw, in: connection) }
        return try rows.map { row throws(RoomStoreError) in try storedEvent(row) }
    }

    /// The events that joined a room's timeline with stream orderings in `(after, upTo]`, in order, at most `limit`:
    /// what the federation sender sends on.
    public func timelineEvents(after: Int64, upTo: Int64, limit: Int) async throws(RoomStoreError) -> [StoredEvent] {
        let rows = try await read { connection throws(StorageError) in
            try EventsTable.timelineRows(after: after, upTo: upTo, limit: limit, in: connection)
        }
        return try rows.map { row throws(RoomStoreError) in try storedEvent(row) }
    }

    private func storedEvent(_ row: Row) throws(RoomStoreError) -> StoredEvent {
        let (eventID, roomID, sender) = try RoomStoreError.catchingNow {
            (try row.decode("event_id", as: String.self), try row.decode("room_id", as: String.self), try row.decode("sender", as: String.self))
        }
        let parsedEventID: EventID = try parseStored(eventID)
        let parsedRoomID: RoomID = try parseStored(roomID)
        let parsedSender: UserID = try parseStored(sender)
        return try RoomStoreError.catchingNow {
            StoredEvent(
                eventID: parsedEventID, roomID: parsedRoomID, type: try row.decode("event_type"),
                stateKey: try row.decode("state_key"), sender: parsedSender,
                streamOrdering: try row.decode("stream_ordering"), topologicalOrdering: try row.decode("topological_ordering"),
                outlier: try row.decode("outlier"), rejectedReason: try row.decode("rejected_reason"),
                softFailed: try row.decode("soft_failed"), instanceName: try row.decode("instance_name"), json: try row.decode("json")
            )
        }
    }

    /// The room's state after `eventID` (including the event itself when it is a state event), or `nil` when no
    /// state is recorded for it (unknown events and outliers).
    public func state(after eventID: EventID) async throws(RoomStoreError) -> [StateKey: EventID]? {
        let entries = try await read { connection throws(StorageError) -> [StateGroupEntry]? in
            guard let group = try EventStateGroupsTable.group(after: eventID, in: connection) else { return nil }
            return try StateGroupsTable.resolve(group, in: connection)
        }
        return try entries.map(stateMap)
    }

    /// The room's forward extremities, sorted by event ID.
    public func forwardExtremities(in roomID: RoomID) async throws(RoomStoreError) -> [EventID] {
        let ids = try await read { connection throws(StorageError) -> [String] in
            guard let room = try self.roomNID(roomID, in: connection) else { return [] }
            return try ForwardExtremitiesTable.list(roomNID: room, in: connection)
        }
        return try ids.map { id throws(RoomStoreError) in try parseStored(id) }
    }

    /// The event a client transaction already produced, so a retried send answers with it.
    public func eventID(for key: ClientTransaction) async throws(RoomStoreError) -> EventID? {
        try await read { connection throws(StorageError) in try ClientTransactionsTable.find(key, in: connection) }.map(parseStored)
    }

    /// The events already produced by any of `keys` (a batch of sends checked for retries at once).
    public func events(for keys: [ClientTransaction]) async throws(RoomStoreError) -> [ClientTransaction: (eventID: EventID, roomID: RoomID, streamOrdering: Int64)] {
        let rows = try await read { connection throws(StorageError) in try ClientTransactionsTable.findAll(keys, in: connection) }
        var found: [ClientTransaction: (eventID: EventID, roomID: RoomID, streamOrdering: Int64)] = [:]
        for row in rows {
            let raw = try RoomStoreError.catchingNow {
                (user: try row.decode("user_id", as: String.self), device: try row.decode("device_id", as: String.self),
                 scope: try row.decode("scope", as: String.self), txn: try row.decode("txn_id", as: String.self), event: try row.decode("event_id", as: String.self),
                 room: try row.decode("room_id", as: String.self), stream: try row.decode("stream_ordering", as: Int64.self))
            }
            let key = ClientTransaction(userID: try parseStored(raw.user), deviceID: raw.device, scope: raw.scope, txnID: raw.txn)
            found[key] = (try parseStored(raw.event), try parseStored(raw.room), raw.stream)
        }
        return found
    }

    /// `user`'s current membership of `roomID` (`join`, `invite`, `leave`, `ban`, `knock`), or `nil` if never a member.
    public func membership(of user: UserID, in roomID: RoomID) async throws(RoomStoreError) -> String? {
        try await read { connection throws(StorageError) -> String? in
            guard let room = try self.roomNID(roomID, in: connection) else { return nil }
            return try RoomMembershipsTable.membership(roomNID: room, userID: user.rawValue, in: connection)
        }
    }

    /// The users whose current membership of `roomID` is `membership`, sorted.
    public func members(of roomID: RoomID, membership: String) async throws(RoomStoreError) -> [UserID] {
        let users = try await read { connection throws(StorageError) -> [String] in
            guard let room = try self.roomNID(roomID, in: connection) else { return [] }
            return try RoomMembershipsTable.members(roomNID: room, membership: membership, in: connection)
        }
        return try users.map { id throws(RoomStoreError) in try parseStored(id) }
    }

    /// Whether a user of `server` is joined to the room: whether that server is in it.
    public func hasJoinedMember(of server: ServerName, in roomID: RoomID) async throws(RoomStoreError) -> Bool {
        try await read { connection throws(StorageError) -> Bool in
            guard let room = try self.roomNID(roomID, in: connection) else { return false }
            return try RoomMembershipsTable.anyMember(roomNID: room, membership: "join", endingWith: ":" + server.rawValue, in: connection)
        }
    }

    /// The rooms in which `user`'s current membership is `membership`, sorted.
    public func rooms(of user: UserID, membership: String) async throws(RoomStoreError) -> [RoomID] {
        let rooms = try await read { connection throws(StorageError) in
            try RoomMembershipsTable.rooms(userID: user.rawValue, membership: membership, in: connection)
        }
        return try rooms.map { id throws(RoomStoreError) in try parseStored(id) }
    }

    /// `roomID`'s NID inside a read, from memory once a read has found it.
    func roomNID(_ roomID: RoomID, in connection: any Connection) throws(StorageError) -> Int64? {
        try knownRoomNIDs.nid(roomID) { () throws(StorageError) in try RoomIDsTable.find(roomID, in: connection) }
    }

    /// The NIDs of those of `keys` ever interned, inside a read; those found before come from memory.
    func stateKeyNIDs(_ keys: [StateKey], in connection: any Connection) throws(StorageError) -> [StateKey: Int64] {
        try knownStateKeyNIDs.find(keys) { missing throws(StorageError) in try StateKeysTable.find(missing, in: connection) }
    }

    func read<T: Sendable>(
        _ body: @escaping @Sendable (any Connection) throws(StorageError) -> T
    ) async throws(RoomStoreError) -> T {
        try await RoomStoreError.catching { try await database.read { connection in try body(connection) } }
    }
}
