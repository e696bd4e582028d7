import MatrixTypes
import Storage

/// Writes a batch of events inside one transaction, caching the interned IDs the batch reuses.
struct EventWriter {
    let transaction: any Transaction
    let instanceName: String
    let policy: StateGroupPolicy
    let committed: CommittedIDs
    private var roomNIDs: [RoomID: Int64] = [:]
    private var stateKeyNIDs: [StateKey: Int64] = [:]
    private var eventNIDs: [EventID: Int64] = [:]
    /// State groups of events written by this batch, which later events in it usually build on.
    private var groups: [EventID: Int64] = [:]
    /// Rows of the batch's events and their state groups, inserted by `finish()` a few statements for the lot.
    private var eventRows: [EventsTable.NewRow] = []
    private var stateGroupRows: [(eventNID: Int64, group: Int64)] = []
    private var transactionRows: [(key: ClientTransaction, eventNID: Int64)] = []
    /// Each room's extremity changes, applied by `finish()`: a run of events each building on the one before costs
    /// two statements, not two per event.
    private var extremities: [Int64: (added: [Int64], replaced: Set<Int64>)] = [:]
    /// Received events now in the timeline: no longer missing, and (history) no longer outliers if they were.
    private var filledGaps: [(roomNID: Int64, eventNID: Int64)] = []
    private var missing: [(roomNID: Int64, eventNIDs: [Int64], depth: Int64)] = []

    init(transaction: any Transaction, instanceName: String, policy: StateGroupPolicy, committed: CommittedIDs) {
        self.transaction = transaction
        self.instanceName = instanceName
        self.policy = policy
        self.committed = committed
    }

    /// Writes the event's membership (with the directory's member count when the room is listed) and computes its
    /// state group; the event row, state group row, transaction ID and the room's extremities follow in `finish()`.
    mutating func write(_ event: NewEvent, streamOrdering: Int64) throws(RoomStoreError) {
        let roomNID = try roomNID(event.roomID)
        let eventNID = try self.eventNID(event.eventID)
        if event.replacesExtremities {
            try RoomStoreError.catchingNow { try ForwardExtremitiesTable.clear(roomNID: roomNID, in: transaction) }
            extremities[roomNID] = nil
        }
        eventRows.append(.init(event: event, eventNID: eventNID, roomNID: roomNID, streamOrdering: streamOrdering))
        if let stateAfter = event.stateAfter {
            let group = try stateGroup(for: stateAfter, roomNID: roomNID)
            stateGroupRows.append((eventNID, group))
            groups[event.eventID] = group
        }
        if event.received || event.historical, !event.outlier { filledGaps.append((roomNID, eventNID)) }
        if !event.missingPrevEvents.isEmpty {
            let nids = try event.missingPrevEvents.map { id throws(RoomStoreError) in try self.eventNID(id) }
            missing.append((roomNID, nids, event.depth))
        }
        let takesEffect = event.movesRoom
        if takesEffect {
            let prevNIDs = try event.prevEvents.map { id throws(RoomStoreError) in try self.eventNID(id) }
            extremities[roomNID, default: ([], [])].replaced.formUnion(prevNIDs)
            extremities[roomNID, default: ([], [])].added.append(eventNID)
        }
        if let key = event.transaction { transactionRows.append((key, eventNID)) }
        for adopted in event.adoptedMemberships {
            let memberEventNID = try self.eventNID(adopted.eventID)
            try RoomStoreError.catchingNow {
                try RoomMembershipsTable.upsert(
                    roomNID: roomNID, userID: adopted.userID, membership: adopted.membership, eventNID: memberEventNID, in: transaction
                )
            }
        }
        if takesEffect, event.type == EventType.member, let member = event.stateKey, let membership = event.membership {
            try RoomStoreError.catchingNow {
                try RoomMembershipsTable.upsert(
                    roomNID: roomNID, userID: member, membership: membership, eventNID: eventNID, in: transaction
                )
                try DirectoryCountsTable.recount(roomNID: roomNID, roomID: event.roomID.rawValue, in: transaction)
            }
        }
        if event.takesEffect, let redacted = event.redacts {
            try RoomStoreError.catchingNow {
                try RedactionsTable.insert(redactedEventID: redacted.rawValue, redactionNID: eventNID, in: transaction)
            }
        }
    }

    /// What this batch interned and grouped, for `CommittedIDs` once it commits.
    var interned: CommittedIDs.Batch {
        .init(roomNIDs: roomNIDs, eventNIDs: eventNIDs, stateGroups: groups)
    }

    /// Inserts the batch's event rows, state groups and transaction IDs and applies its extremity changes; call once
    /// every event is written.
    func finish() throws(RoomStoreError) {
        try RoomStoreError.catchingNow {
            try EventsTable.deleteOutliers(filledGaps.map(\.eventNID), in: transaction)
            try BackwardExtremitiesTable.remove(filledGaps, in: transaction)
            for gap in missing {
                try BackwardExtremitiesTable.add(roomNID: gap.roomNID, eventNIDs: gap.eventNIDs, depth: gap.depth, in: transaction)
            }
            try EventsTable.insert(eventRows, instanceName: instanceName, in: transaction)
            try EventStateGroupsTable.insert(stateGroupRows, in: transaction)
            try ClientTransactionsTable.insert(transactionRows, in: transaction)
        }
        for (roomNID, change) in extremities.sorted(by: { $0.key < $1.key }) {
            let added = change.added.filter { !change.replaced.contains($0) }
            try RoomStoreError.catchingNow {
                try ForwardExtremitiesTable.advance(
                    roomNID: roomNID, eventNIDs: added.sorted(), replacing: change.replaced.sorted(), in: transaction
                )
            }
        }
    }

    /// Interns the IDs of `events` and of the events they point back to, all at once rather than one by one as
    /// `write` reaches them.
    mutating func internEventIDs(of events: [NewEvent]) throws(RoomStoreError) {
        var ids = Set(events.flatMap { [$0.eventID] + $0.prevEvents }).filter { eventNIDs[$0] == nil }
        for id in ids {
            guard let nid = committed.eventNIDs.known(id) else { continue }
            eventNIDs[id] = nid
            ids.remove(id)
        }
        guard !ids.isEmpty else { return }
        let nids = try RoomStoreError.catchingNow { try EventIDsTable.intern(ids, in: transaction) }
        for id in ids {
            if let nid = nids[Array(id.rawValue.utf8)] { eventNIDs[id] = nid }
        }
    }

    private mutating func roomNID(_ roomID: RoomID) throws(RoomStoreError) -> Int64 {
        if let cached = roomNIDs[roomID] ?? committed.roomNIDs.known(roomID) { return cached }
        let nid = try RoomStoreError.catchingNow { try RoomIDsTable.intern(roomID, in: transaction) }
        roomNIDs[roomID] = nid
        return nid
    }

    private mutating func eventNID(_ eventID: EventID) throws(RoomStoreError) -> Int64 {
        if let cached = eventNIDs[eventID] { return cached }
        let nid = try RoomStoreError.catchingNow { try EventIDsTable.intern(eventID, in: transaction) }
        eventNIDs[eventID] = nid
        return nid
    }

    private mutating func stateKeyNID(_ key: StateKey) throws(RoomStoreError) -> Int64 {
        if let cached = stateKeyNIDs[key] { return cached }
        let nid = try RoomStoreError.catchingNow { try StateKeysTable.intern(key, in: transaction) }
        stateKeyNIDs[key] = nid
        return nid
    }

    /// The group holding `stateAfter`: an existing one when nothing changes, else a new delta or snapshot.
    private mutating func stateGroup(for stateAfter: StateAfter, roomNID: Int64) throws(RoomStoreError) -> Int64 {
        switch stateAfter {
        case .sameAs(let eventID):
            return try group(after: eventID)
        case .changed(nil, let changes):
            return try insertSnapshot(roomNID: roomNID, entries: try nids(changes))
        case .changed(let base?, let changes):
            let baseGroup = try group(after: base)
            if changes.isEmpty { return baseGroup }
            let delta = try nids(changes)
            guard let info = try RoomStoreError.catchingNow({ try StateGroupsTable.info(baseGroup, in: transaction) }) else {
                throw .noStateFor(base)
            }
            if policy.needsSnapshot(over: info, adding: Int64(delta.count)) {
                var full: [Int64: Int64] = [:]
                for entry in try RoomStoreError.catchingNow({ try StateGroupsTable.resolve(baseGroup, in: transaction) }) {
                    full[entry.stateKeyNID] = entry.eventNID
                }
                full.merge(delta) { _, new in new }
                return try insertSnapshot(roomNID: roomNID, entries: full)
            }
            return try RoomStoreError.catchingNow {
                let group = try StateGroupsTable.insert(
                    roomNID: roomNID, prevGroup: baseGroup, chainLength: info.chainLength + 1,
                    deltaRows: info.deltaRows + Int64(delta.count), snapshotRows: info.snapshotRows, in: transaction
                )
                try StateGroupsTable.insertEntries(group: group, sorted(delta), in: transaction)
                return group
            }
        }
    }

    private func group(after eventID: EventID) throws(RoomStoreError) -> Int64 {
        if let cached = groups[eventID] ?? committed.stateGroups.known(eventID) { return cached }
        let group = try RoomStoreError.catchingNow { try EventStateGroupsTable.group(after: eventID, in: transaction) }
        guard let group else { throw .noStateFor(eventID) }
        return group
    }

    private mutating func nids(_ changes: [StateKey: EventID]) throws(RoomStoreError) -> [Int64: Int64] {
        var result: [Int64: Int64] = [:]
        for (key, eventID) in changes {
            let keyNID = try stateKeyNID(key)
            result[keyNID] = try self.eventNID(eventID)
        }
        return result
    }

    private func insertSnapshot(roomNID: Int64, entries: [Int64: Int64]) throws(RoomStoreError) -> Int64 {
        try RoomStoreError.catchingNow {
            let group = try StateGroupsTable.insert(
                roomNID: roomNID, prevGroup: nil, chainLength: 0, deltaRows: 0, snapshotRows: Int64(entries.count),
                in: transaction
            )
            try StateGroupsTable.insertEntries(group: group, sorted(entries), in: transaction)
            return group
        }
    }

    private func sorted(_ entries: [Int64: Int64]) -> [(stateKeyNID: Int64, eventNID: Int64)] {
        entries.sorted { $0.key < $1.key }.map { (stateKeyNID: $0.key, eventNID: $0.value) }
    }
}

/// What earlier batches committed and the next one would otherwise read back: it usually builds on the last batch's
/// events, in the same rooms.
struct CommittedIDs: Sendable {
    let roomNIDs: InternedIDCache<RoomID>
    let eventNIDs: InternedIDCache<EventID>
    /// The state group after each event (fixed once written).
    let stateGroups: InternedIDCache<EventID>

    /// What one batch interned and grouped.
    struct Batch: Sendable {
        var roomNIDs: [RoomID: Int64]
        var eventNIDs: [EventID: Int64]
        var stateGroups: [EventID: Int64]
    }

    /// Remembers what a batch interned and grouped, once it has committed.
    func remember(_ batch: Batch) {
        roomNIDs.remember(batch.roomNIDs)
        eventNIDs.remember(batch.eventNIDs)
        stateGroups.remember(batch.stateGroups)
    }
}
