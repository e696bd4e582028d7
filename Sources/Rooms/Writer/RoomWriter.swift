import EventAuth
public import Logging
public import MatrixCrypto
public import MatrixTypes
public import Replication
public import RoomStore
import Storage

/// The only creator of local events (design §3). Intents queue here; everything waiting when a batch starts is
/// built in order against in-memory room snapshots, then persisted in one transaction, then published.
///
/// Building, hashing, signing and authorising happen before the transaction opens; the transaction only inserts.
public actor RoomWriter {
    let store: RoomStore
    private let builder: EventBuilder
    private let bus: any ReplicationBus
    private let logger: Logger
    /// Whether a new room's ID falls to this writer (`RoomOwnership`); always, where it is the only one.
    private let owns: @Sendable (RoomID) -> Bool
    private var snapshots: RoomSnapshotCache
    private var pending: [Work] = []
    private var flushing = false

    /// Rooms whose snapshot the writer keeps in memory unless told otherwise: a snapshot holds a room's current state
    /// events, so a few thousand large rooms already take hundreds of megabytes. Others are reloaded when written to.
    public static let defaultSnapshotCapacity = 1_024

    public init(
        store: RoomStore, serverName: ServerName, signingKey: SigningKey, bus: any ReplicationBus, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = currentMilliseconds, snapshotCapacity: Int = defaultSnapshotCapacity,
        owns: @escaping @Sendable (RoomID) -> Bool = { _ in true }
    ) {
        self.store = store
        self.owns = owns
        self.snapshots = RoomSnapshotCache(capacity: snapshotCapacity)
        self.builder = EventBuilder(serverName: serverName, signingKey: signingKey, clock: clock)
        self.bus = bus
        self.logger = logger
    }

    /// Builds, authorises and persists `unit`'s events; returns them once committed.
    public func write(_ unit: WriteUnit) async throws(RoomError) -> [WrittenEvent] {
        try await enqueue { .build(unit, $0) }
    }

    /// Authorises and persists events other servers built, in order, after whatever was queued before them; returns
    /// what became of each. Throws `missingEvents` (with nothing of the batch from that event on persisted) when
    /// one refers to events not stored here.
    public func receive(_ received: ReceivedEvents) async throws(RoomError) -> [ReceivedOutcome] {
        try await enqueue { .receive(received, $0) }
    }

    /// One queued piece of work: intents to build, or events to add as received.
    private enum Work {
        case build(WriteUnit, Reply)
        case receive(ReceivedEvents, CheckedContinuation<[ReceivedOutcome], any Error>)
    }

    private func enqueue<T>(_ work: (CheckedContinuation<T, any Error>) -> Work) async throws(RoomError) -> T {
        do {
            return try await withCheckedThrowingContinuation { reply in
                pending.append(work(reply))
                if !flushing {
                    flushing = true
                    Task { await flush() }
                }
            }
        } catch let error as RoomError {
            throw error
        } catch {
            throw .invalidEvent("\(error)")
        }
    }

    /// Runs the queue in order: consecutive builds share one transaction, received events go one by one.
    private func flush() async {
        while !pending.isEmpty {
            let queued = pending
            pending = []
            var builds: [(unit: WriteUnit, reply: Reply)] = []
            for work in queued {
                switch work {
                case .build(let unit, let reply):
                    builds.append((unit, reply))
                case .receive(let received, let reply):
                    if !builds.isEmpty { await persist(builds) }
                    builds = []
                    do {
                        reply.resume(returning: try await add(received))
                    } catch {
                        reply.resume(throwing: error)
                    }
                }
            }
            if !builds.isEmpty { await persist(builds) }
        }
        flushing = false
    }

    private typealias Reply = CheckedContinuation<[WrittenEvent], any Error>

    /// Stores this server's join to a room held elsewhere: the state and auth chain it was answered with as outliers,
    /// then the join with that state, all in one transaction.
    private func adopt(_ join: PDU, joinedState: JoinedRoomState) async throws(RoomError) -> ReceivedOutcome {
        let graph = EventDictionary(joinedState.events)
        do {
            try EventAuthorizer.authorize(join, using: graph)
            var state: [StateKey: PDU] = [:]
            for (key, id) in joinedState.state { state[key] = graph.event(withID: id) }
            try EventAuthorizer.check(join, against: state)
        } catch {
            throw .forbidden("the join is not allowed by the state the room's server answered with: \(error.message)")
        }
        var events = try await unstoredOutliers(joinedState.events)
        var stateAfter = joinedState.state
        if let key = join.stateMapKey { stateAfter[key] = join.eventID }
        var joinEvent = NewEvent(
            eventID: join.eventID, roomID: join.roomID, type: join.type, stateKey: join.stateKey, sender: join.sender, depth: join.depth,
            json: try join.storedBytes(), prevEvents: join.prevEventIDs, stateAfter: .changed(base: nil, changes: stateAfter),
            membership: join.membership
        )
        joinEvent.replacesExtremities = true
        // The history before the join, fetched when a member pages back to it.
        joinEvent.missingPrevEvents = try await unheld(join.prevEventIDs)
        joinEvent.adoptedMemberships = joinedState.state.compactMap { key, id in
            guard key.type == EventType.member, let membership = graph.event(withID: id)?.membership else { return nil }
            return AdoptedMembership(userID: key.stateKey, membership: membership, eventID: id)
        }
        events.append(joinEvent)
        snapshots.remove(join.roomID)
        let orderings: [Int64]
        do {
            orderings = try await store.persist(events) { [bus, joinEvent] orderings in
                if let last = orderings.last { Self.publish([joinEvent], orderings: [last], on: bus) }
            }
        } catch {
            throw .storage(error)
        }
        return ReceivedOutcome(eventID: join.eventID, status: .accepted, streamOrdering: orderings.last, stateBefore: joinedState.state)
    }

    /// `events` not stored yet, as outliers, shallowest first (each one's auth events before it).
    private func unstoredOutliers(_ events: [PDU]) async throws(RoomError) -> [NewEvent] {
        let stored = Set(try await RoomError.catching { try await store.storedEvents(events.map(\.eventID)) }.map(\.eventID))
        var outliers: [NewEvent] = []
        for event in events.sorted(by: { ($0.depth, $0.eventID) < ($1.depth, $1.eventID) }) where !stored.contains(event.eventID) {
            outliers.append(NewEvent(
                eventID: event.eventID, roomID: event.roomID, type: event.type, stateKey: event.stateKey, sender: event.sender,
                depth: event.depth, json: try event.storedBytes(), outlier: true, prevEvents: [], stateAfter: nil
            ))
        }
        return outliers
    }

    /// Adds older history oldest first, one transaction each, so each one's state is stored before the next is
    /// checked. An event already in the timeline is answered as it was decided; one whose `prev_events` are not all
    /// in the timeline is checked against the state answered for it (stored first, as outliers) and skipped without
    /// one, and its missing prev events are where the next fetch of history starts.
    private func addHistory(_ received: ReceivedEvents) async throws(RoomError) -> [ReceivedOutcome] {
        let version = try await loadSnapshot(received.roomID).version
        guard !received.events.isEmpty else { return [] }
        let assessment = ReceivedEventAssessment(store: store)
        // Reserved for the batch at once, so its events keep their order among the stream's positions.
        let orderings = try await RoomError.catching { try await store.reserveHistoryOrderings(received.events.count) }
        var outcomes: [ReceivedOutcome] = []
        for (event, ordering) in zip(received.events, orderings) {
            guard event.roomID == received.roomID else { throw .badRequest("event \(event.eventID) belongs to another room") }
            let stored = try await RoomError.catching { try await store.storedEvents(event.prevEventIDs + [event.eventID]) }
            if let known = stored.first(where: { $0.eventID == event.eventID && !$0.outlier }) {
                outcomes.append(ReceivedOutcome(eventID: event.eventID, status: Self.decided(known), streamOrdering: nil, stateBefore: [:]))
                continue
            }
            let held = Set(stored.filter { !$0.outlier }.map(\.eventID))
            let missing = event.prevEventIDs.filter { !held.contains($0) }
            var answeredState: StateMap?
            if !missing.isEmpty {
                guard let answered = received.statesBefore[event.eventID] else { continue }
                try await storeAnswered(answered, historical: true)
                answeredState = answered.state
            }
            var assessed = try await assessment.assess(event, version: version, current: nil, answeredStateBefore: answeredState)
            assessed.event.missingPrevEvents = missing
            try await RoomError.catching { try await store.persistHistory([assessed.event], at: [ordering]) }
            outcomes.append(ReceivedOutcome(eventID: event.eventID, status: assessed.status, streamOrdering: ordering, stateBefore: assessed.stateBefore))
        }
        return outcomes
    }

    /// Those of `ids` not held in the room's timeline (unknown, or stored only as outliers).
    private func unheld(_ ids: [EventID]) async throws(RoomError) -> [EventID] {
        let held = try await RoomError.catching { try await store.storedEvents(ids) }.filter { !$0.outlier }.map(\.eventID)
        return ids.filter { !held.contains($0) }
    }

    /// Stores the events of a state another server answered that are not stored yet, as outliers: below every sync
    /// position for older history, announced to no one either way.
    private func storeAnswered(_ answered: JoinedRoomState, historical: Bool) async throws(RoomError) {
        let outliers = try await unstoredOutliers(answered.events)
        guard !outliers.isEmpty else { return }
        try await RoomError.catching {
            if historical {
                try await store.persistHistory(outliers, at: try await store.reserveHistoryOrderings(outliers.count))
            } else {
                try await store.persist(outliers)
            }
        }
    }

    /// What was decided about an event stored before.
    private static func decided(_ stored: StoredEvent) -> ReceivedOutcome.Status {
        if let reason = stored.rejectedReason { .rejected(reason) } else if stored.softFailed { .softFailed } else { .accepted }
    }

    /// Stores a local user's invite to or knock on a room held elsewhere (with its stripped state), or the leave
    /// rejecting or withdrawing it, as an outlier, recording the member's membership so their sync shows it.
    private func storeOutOfRoom(_ event: PDU) async throws(RoomError) -> ReceivedOutcome {
        guard event.hasType(EventType.member), let membership = event.membership,
            [Membership.invite, Membership.knock, Membership.leave].contains(where: { $0.hasSameBytes(as: membership) }),
            let member = event.stateKey
        else { throw .badRequest("not an invite, a knock or a leave") }
        if try await RoomError.catching({ try await store.event(event.eventID) }) != nil {
            return ReceivedOutcome(eventID: event.eventID, status: .accepted, streamOrdering: nil, stateBefore: [:])
        }
        var stored = NewEvent(
            eventID: event.eventID, roomID: event.roomID, type: event.type, stateKey: member, sender: event.sender, depth: event.depth,
            json: try event.storedBytes(), outlier: true, prevEvents: [], stateAfter: nil
        )
        stored.adoptedMemberships = [AdoptedMembership(userID: member, membership: membership, eventID: event.eventID)]
        let ordering: Int64
        do {
            ordering = try await store.persist([stored]) { [bus] orderings in
                bus.publish(EventNotices.notice(roomID: event.roomID, ordering: orderings[0], memberTarget: member))
            }[0]
        } catch {
            throw .storage(error)
        }
        return ReceivedOutcome(eventID: event.eventID, status: .accepted, streamOrdering: ordering, stateBefore: [:])
    }


    /// Adds received events one transaction each, so each one's state is stored before the next is checked.
    private func add(_ received: ReceivedEvents) async throws(RoomError) -> [ReceivedOutcome] {
        switch received.kind {
        case .timeline:
            break
        case .join(let joinedState):
            guard received.events.count == 1 else { throw .badRequest("a joined room's state comes with its join alone") }
            return [try await adopt(received.events[0], joinedState: joinedState)]
        case .outOfRoom:
            guard received.events.count == 1 else { throw .badRequest("a membership outside a room comes alone") }
            return [try await storeOutOfRoom(received.events[0])]
        case .history:
            return try await addHistory(received)
        }
        let assessment = ReceivedEventAssessment(store: store)
        var outcomes: [ReceivedOutcome] = []
        for event in received.events {
            var snapshot = try await loadSnapshot(received.roomID)
            guard event.roomID == received.roomID else { throw .badRequest("event \(event.eventID) belongs to another room") }
            if let stored = try await RoomError.catching({ try await store.event(event.eventID) }) {
                // Answered as it was decided the first time (an outlier stays one: it is never added twice).
                let stateBefore = try await StoredEventGraph(store: store).stateBefore(event)
                outcomes.append(ReceivedOutcome(eventID: event.eventID, status: Self.decided(stored), streamOrdering: nil, stateBefore: stateBefore))
                continue
            }
            // Past a gap that could not be closed: checked against the state answered for it.
            var answeredState: StateMap?
            var missing: [EventID] = []
            if let answered = received.statesBefore[event.eventID] {
                missing = try await unheld(event.prevEventIDs)
                if !missing.isEmpty {
                    try await storeAnswered(answered, historical: false)
                    answeredState = answered.state
                }
            }
            var assessed = try await assessment.assess(event, version: snapshot.version, current: snapshot, answeredStateBefore: answeredState)
            assessed.event.missingPrevEvents = missing
            let ordering: Int64
            do {
                let takesEffect = assessed.status == .accepted
                let stored = assessed.event
                ordering = try await store.persist([stored]) { [bus] orderings in
                    if takesEffect { Self.publish([stored], orderings: orderings, on: bus) }
                }[0]
            } catch {
                snapshots.remove(received.roomID)
                throw .storage(error)
            }
            outcomes.append(ReceivedOutcome(eventID: event.eventID, status: assessed.status, streamOrdering: ordering, stateBefore: assessed.stateBefore))
            guard assessed.status == .accepted else { continue }
            if Set(snapshot.extremities.map(\.eventID)) == Set(event.prevEventIDs) {
                // Built on exactly the room's extremities: the current state was the state before it.
                snapshot.apply(event)
                snapshots.put(snapshot)
            } else {
                // A fork opened or closed: the current state is resolved again from the store.
                snapshots.remove(received.roomID)
            }
        }
        return outcomes
    }

    /// How one queued unit is answered once the batch commits.
    private enum Outcome {
        /// Its events are `events[range]` of the batch.
        case built(Range<Int>)
        /// A retry of a send that is `events[index]` of this batch.
        case sameAs(Int)
        /// A retry of a send persisted before.
        case known(WrittenEvent)
    }

    private func persist(_ batch: [(unit: WriteUnit, reply: Reply)]) async {
        var working: [RoomID: RoomSnapshot] = [:]
        var events: [NewEvent] = []
        var outcomes: [(reply: Reply, outcome: Outcome)] = []
        var sentInBatch: [ClientTransaction: Int] = [:]
        let retried: [ClientTransaction: WrittenEvent]
        do {
            retried = try await persistedEvents(for: batch.compactMap(\.unit.retryKey))
        } catch {
            for item in batch { item.reply.resume(throwing: error) }
            return
        }
        for (unit, reply) in batch {
            do {
                if let key = unit.retryKey {
                    if let index = sentInBatch[key] {
                        outcomes.append((reply, .sameAs(index)))
                        continue
                    }
                    if let known = retried[key] {
                        outcomes.append((reply, .known(known)))
                        continue
                    }
                }
                if let current = try await identicalState(unit, working: &working) {
                    if let index = events.firstIndex(where: { $0.eventID == current }) {
                        outcomes.append((reply, .sameAs(index)))
                    } else {
                        outcomes.append((reply, .known(try await persistedEvent(current))))
                    }
                    continue
                }
                let built = try await build(unit, working: &working)
                if let key = unit.retryKey { sentInBatch[key] = events.count }
                outcomes.append((reply, .built(events.count..<events.count + built.count)))
                events += built
            } catch {
                reply.resume(throwing: error)
            }
        }
        var orderings: [Int64] = []
        if !events.isEmpty {
            do {
                // Announced before the position passes them (and before anyone is answered), so a sync never
                // reaches an event whose notice is still to come, and a client's next sync has what it just sent.
                orderings = try await store.persist(events) { [bus, events] orderings in Self.publish(events, orderings: orderings, on: bus) }
            } catch {
                logger.error("persisting events failed", metadata: ["error": "\(error)", "events": "\(events.count)"])
                for roomID in working.keys { snapshots.remove(roomID) }
                for item in outcomes { item.reply.resume(throwing: RoomError.storage(error)) }
                return
            }
        }
        for snapshot in working.values { snapshots.put(snapshot) }
        let written = zip(events, orderings).map { event, ordering in
            WrittenEvent(eventID: event.eventID, roomID: event.roomID, streamOrdering: ordering)
        }
        for (reply, outcome) in outcomes {
            switch outcome {
            case .built(let range): reply.resume(returning: Array(written[range]))
            case .sameAs(let index): reply.resume(returning: [written[index]])
            case .known(let event): reply.resume(returning: [event])
            }
        }
    }

    /// The events client transactions produced earlier, looked up for the whole batch at once.
    private func persistedEvents(for keys: [ClientTransaction]) async throws(RoomError) -> [ClientTransaction: WrittenEvent] {
        guard !keys.isEmpty else { return [:] }
        return try await RoomError.catching { try await store.events(for: keys) }
            .mapValues { WrittenEvent(eventID: $0.eventID, roomID: $0.roomID, streamOrdering: $0.streamOrdering) }
    }

    /// The room's current event for the unit's state key when the unit would only repeat it (same sender, same
    /// canonical content); it may be an event of this batch, not yet persisted.
    private func identicalState(_ unit: WriteUnit, working: inout [RoomID: RoomSnapshot]) async throws(RoomError) -> EventID? {
        guard let (roomID, intent) = unit.identicalStateCandidate, let key = intent.stateKey else { return nil }
        let snapshot: RoomSnapshot
        if let cached = working[roomID] { snapshot = cached } else { snapshot = try await loadSnapshot(roomID) }
        guard let current = snapshot.state[StateKey(intent.type, key)], current.sender.rawValue.hasSameBytes(as: intent.sender.rawValue),
            let old = try? current.content.canonicalEncoded(), let new = try? intent.content.canonicalEncoded(), old == new
        else { return nil }
        return current.eventID
    }

    private func persistedEvent(_ eventID: EventID) async throws(RoomError) -> WrittenEvent {
        guard let event = try await RoomError.catching({ try await store.event(eventID) }) else {
            throw .eventNotFound
        }
        return WrittenEvent(eventID: event.eventID, roomID: event.roomID, streamOrdering: event.streamOrdering)
    }

    private func build(_ unit: WriteUnit, working: inout [RoomID: RoomSnapshot]) async throws(RoomError) -> [NewEvent] {
        var snapshot: RoomSnapshot?
        let version: RoomVersion
        switch unit.target {
        case .existing(let roomID):
            let current: RoomSnapshot
            if let cached = working[roomID] { current = cached } else { current = try await loadSnapshot(roomID) }
            snapshot = current
            version = current.version
        case .new(let newVersion):
            version = newVersion
        }
        var built: [NewEvent] = []
        let claimed = Set(working.keys)
        for intent in unit.intents {
            let (event, pdu) = try await buildNext(intent, on: &snapshot, version: version, claimed: claimed)
            built.append(event)
            guard let current = snapshot else { continue }
            // Guests leave a room just closed to them in the same unit, right after the event that closed it.
            for departure in GuestAccessRules.departures(after: pdu, in: current, serverName: builder.serverName) {
                do {
                    built.append(try await buildNext(departure, on: &snapshot, version: version).event)
                } catch {
                    // A guest that cannot leave stays; closing the room still succeeds, as in Synapse.
                    logger.warning("guest not removed from a room closed to guests", metadata: ["guest": "\(departure.sender)", "error": "\(error)"])
                }
            }
        }
        if let snapshot { working[snapshot.roomID] = snapshot }
        return built
    }

    /// Builds `intent` on `snapshot` (`nil` before a room's create event) and advances the snapshot past it.
    /// `claimed`: rooms this batch already writes to, which a new room's ID must not repeat.
    private func buildNext(
        _ requested: EventIntent, on snapshot: inout RoomSnapshot?, version: RoomVersion, claimed: Set<RoomID> = []
    ) async throws(RoomError) -> (event: NewEvent, pdu: PDU) {
        let intent = try GuestAccessRules.prepare(requested, in: snapshot)
        if let target = intent.redacts { try await checkRedaction(of: target, by: intent.sender, in: snapshot) }
        var roomID = snapshot?.roomID
        if roomID == nil, version.roomIDFormat != .createEventHash {
            roomID = try ownedRoomID()
        }
        var event = try builder.build(intent, in: snapshot, version: version, roomID: roomID)
        if snapshot == nil, version.roomIDFormat == .createEventHash {
            event = try await unclaimedRoom(event, intent: intent, version: version, claimed: claimed)
        }
        let before = snapshot?.extremities.map(\.eventID) ?? []
        let base = snapshot?.fork?.base ?? snapshot?.extremities.max { $0.depth < $1.depth }?.eventID
        let forkChanges = snapshot?.fork?.changes ?? [:]
        var next = snapshot ?? RoomSnapshot(roomID: event.roomID, version: version, state: [:], extremities: [])
        next.apply(event)
        let json = try event.storedBytes()
        let stateAfter: StateAfter =
            if let key = event.stateMapKey {
                .changed(base: base, changes: forkChanges.merging([key: event.eventID]) { _, new in new })
            } else if let base {
                forkChanges.isEmpty ? .sameAs(base) : .changed(base: base, changes: forkChanges)
            } else {
                throw .badRequest("A room must start with m.room.create")
            }
        let built = NewEvent(
            eventID: event.eventID, roomID: event.roomID, type: event.type, stateKey: event.stateKey, sender: event.sender,
            depth: event.depth, json: json, prevEvents: before, stateAfter: stateAfter, transaction: intent.transaction,
            membership: event.hasType(EventType.member) ? event.membership : nil,
            redacts: event.hasType(EventType.redaction) ? event.redacts : nil
        )
        snapshot = next
        return (built, event)
    }

    /// A v12 room's ID is its create event's hash, and a create event's only entropy is its millisecond
    /// timestamp: one user creating rooms with the same content in the same millisecond would get one room ID.
    /// As Synapse does, the create event is rebuilt with a later timestamp until its room is new to this batch
    /// and to the store (and, among several event writers, falls to this one).
    private func unclaimedRoom(_ first: PDU, intent: EventIntent, version: RoomVersion, claimed: Set<RoomID>) async throws(RoomError) -> PDU {
        var event = first
        var checked = 0
        for _ in 1...Self.roomIDDraws {
            if owns(event.roomID) {
                checked += 1
                let stored = try await RoomError.catching { try await store.event(event.eventID) }
                if !claimed.contains(event.roomID), stored == nil { return event }
            }
            guard checked < Self.roomIDAttempts, let timestamp = event.json["origin_server_ts"]?.integerValue else { break }
            event = try builder.build(intent, in: nil, version: version, roomID: nil, timestamp: timestamp + 1)
        }
        throw .roomIDUnavailable
    }

    /// Room IDs this writer owns that are looked up per new v12 room before giving up (each create event one
    /// millisecond later than the last).
    private static let roomIDAttempts = 100
    /// Room IDs drawn at most per new room, owned by this writer or not (with n writers about n are drawn per owned one).
    private static let roomIDDraws = 10_000

    /// Redacting someone else's event needs the `redact` power level; the target must be in the same room (an event
    /// of another room is a bad request, as Synapse answers).
    private func checkRedaction(of target: EventID, by sender: UserID, in snapshot: RoomSnapshot?) async throws(RoomError) {
        guard let snapshot, let event = try await RoomError.catching({ try await store.event(target) })
        else { throw .eventNotFound }
        guard event.roomID == snapshot.roomID else { throw .badRequest("Cannot redact event from a different room") }
        if event.sender == sender { return }
        let levels = RoomPowerLevels(create: snapshot.state[.create], powerLevels: snapshot.state[.powerLevels], version: snapshot.version)
        guard levels.userLevel(sender.rawValue) >= levels.redact else {
            throw .forbidden("You do not have permission to redact events of other users")
        }
    }

    /// Rooms whose snapshot is held in memory.
    var cachedSnapshotCount: Int { snapshots.count }

    private func loadSnapshot(_ roomID: RoomID) async throws(RoomError) -> RoomSnapshot {
        if let cached = snapshots.get(roomID) { return cached }
        let snapshot = try await RoomSnapshotLoader(store: store).load(roomID)
        snapshots.put(snapshot)
        return snapshot
    }

    /// `!random:server` that falls to this writer, for rooms before v12 (whose IDs are the create event's hash).
    private func ownedRoomID() throws(RoomError) -> RoomID {
        for _ in 1...Self.roomIDDraws {
            let text = "!\(randomLocalpart()):\(builder.serverName.rawValue)"
            let roomID: RoomID
            do {
                roomID = try RoomID(text)
            } catch {
                throw .invalidEvent("generated room ID \(text) is invalid: \(error)")
            }
            if owns(roomID) { return roomID }
        }
        throw .roomIDUnavailable
    }

    private static func publish(_ events: [NewEvent], orderings: [Int64], on bus: any ReplicationBus) {
        for (event, ordering) in zip(events, orderings) {
            bus.publish(EventNotices.notice(roomID: event.roomID, ordering: ordering, memberTarget: event.membership != nil ? event.stateKey : nil))
        }
    }
}
