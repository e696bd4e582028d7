public import MatrixTypes
import Storage

/// What a `slots` read asks: the same slots at the same events have the same answer.
struct SlotsRead: Hashable, Sendable {
    var keys: Set<StateKey>
    var events: Set<EventID>
}

/// A few state slots read at each event of a run of a room's timeline.
public struct StateSlots: Sendable {
    /// For each event with recorded state, the events filling the slots in the state after it.
    public var after: [EventID: [StateKey: RoomEvent]]
    /// The events filling the slots in the state just before the oldest event of the run.
    public var beforeOldest: [StateKey: RoomEvent]
}

extension RoomStore {
    /// The events filling `keys` in the state after each of `events` (one room's) and just before the oldest of
    /// them, in one read: what per-event checks such as history visibility need, without a query per event or
    /// resolving whole states.
    public func slots(_ keys: [StateKey], at events: [RoomEvent]) async throws(RoomStoreError) -> StateSlots {
        guard let oldest = events.min(by: { $0.streamOrdering < $1.streamOrdering }) else {
            return StateSlots(after: [:], beforeOldest: [:])
        }
        let key = SlotsRead(keys: Set(keys), events: Set(events.map(\.eventID)))
        return try await sharedSlotReads.value(for: key) { () async throws(RoomStoreError) in
            try await self.readSlots(keys, at: events, oldest: oldest)
        }
    }

    private func readSlots(_ keys: [StateKey], at events: [RoomEvent], oldest: RoomEvent) async throws(RoomStoreError) -> StateSlots {
        let eventIDs = events.map(\.eventID.rawValue)
        let known = committedGroups(of: events, before: oldest)
        let recent = recentTimelines
        let (groups, beforeGroup, entries, kept, rows) = try await read { connection throws(StorageError) in
            var groups = known?.after ?? [:]
            var beforeGroup = known?.before
            if known == nil {
                groups = try EventStateGroupsTable.groups(eventIDs: eventIDs, in: connection)
                if let room = try self.roomNID(oldest.roomID, in: connection) {
                    beforeGroup = try TimelineQueries.stateGroup(roomNID: room, upTo: oldest.streamOrdering - 1, in: connection)
                }
            }
            let keyNIDs = try self.stateKeyNIDs(keys, in: connection)
            let entries = try StateGroupsTable.entries(
                keyNIDs: Array(keyNIDs.values), groups: Set(groups.values).union(beforeGroup.map { [$0] } ?? []), in: connection
            )
            let filling = Self.distinct(entries.values.flatMap(\.values))
            let kept = recent.events(filling, in: oldest.roomID)
            return (
                groups, beforeGroup, entries.mapValues { slots in Self.keyed(slots, by: keyNIDs) }, kept,
                try TimelineQueries.events(filling.filter { kept[Array($0.utf8)] == nil }, in: connection)
            )
        }
        let loaded = try Self.byEventID(rows).merging(kept) { stored, _ in stored }
        func filling(_ group: Int64?) -> [StateKey: RoomEvent] {
            (group.flatMap { entries[$0] } ?? [:]).compactMapValues { loaded[Array($0.utf8)] }
        }
        var after: [EventID: [StateKey: RoomEvent]] = [:]
        for event in events {
            if let group = groups[Array(event.eventID.rawValue.utf8)] { after[event.eventID] = filling(group) }
        }
        return StateSlots(after: after, beforeOldest: filling(beforeGroup))
    }

    /// The state groups after each of `events` and just before the oldest, from memory when this store committed
    /// all of them (the long-polls a new event wakes ask about it right away); `nil` sends the read to the database.
    private func committedGroups(of events: [RoomEvent], before oldest: RoomEvent) -> (after: [[UInt8]: Int64], before: Int64)? {
        var after: [[UInt8]: Int64] = [:]
        for event in events {
            guard let group = committed.stateGroups.known(event.eventID) else { return nil }
            after[Array(event.eventID.rawValue.utf8)] = group
        }
        let upTo = oldest.streamOrdering - 1
        guard upTo <= persistedUpTo, let previous = recentTimelines.lastEventID(in: oldest.roomID, upTo: upTo),
            let before = committed.stateGroups.known(previous)
        else { return nil }
        return (after, before)
    }

    /// The events filling `keys` in the current state of each of `rooms`, in one read (directory summaries need a
    /// few slots of each room on a page, not their whole state).
    public func currentSlots(_ keys: [StateKey], in rooms: [RoomID]) async throws(RoomStoreError) -> [RoomID: [StateKey: RoomEvent]] {
        let (groups, entries, rows) = try await read { connection throws(StorageError) in
            var groups: [RoomID: Int64] = [:]
            for roomID in rooms {
                guard let room = try self.roomNID(roomID, in: connection),
                    let group = try TimelineQueries.stateGroup(roomNID: room, upTo: Int64.max, in: connection)
                else { continue }
                groups[roomID] = group
            }
            let keyNIDs = try self.stateKeyNIDs(keys, in: connection)
            let entries = try StateGroupsTable.entries(keyNIDs: Array(keyNIDs.values), groups: Set(groups.values), in: connection)
            return (
                groups, entries.mapValues { slots in Self.keyed(slots, by: keyNIDs) },
                try TimelineQueries.events(Self.distinct(entries.values.flatMap(\.values)), in: connection)
            )
        }
        let loaded = try Self.byEventID(rows)
        var result: [RoomID: [StateKey: RoomEvent]] = [:]
        for room in rooms {
            guard let group = groups[room] else { continue }
            result[room] = (entries[group] ?? [:]).compactMapValues { loaded[Array($0.utf8)] }
        }
        return result
    }

    /// For each state event of `events` (one room's), the event its slot held just before it (in the state at the
    /// stream position before it), in one read: what `unsigned.prev_content` shows, without resolving a whole
    /// state per event.
    public func replacedState(of events: [RoomEvent]) async throws(RoomStoreError) -> [EventID: RoomEvent] {
        let stateEvents = events.compactMap { event in event.stateKey.map { (event: event, key: StateKey(event.type, $0)) } }
        guard let roomID = stateEvents.first?.event.roomID else { return [:] }
        let (groups, entries, rows) = try await read { connection throws(StorageError) in
            guard let room = try self.roomNID(roomID, in: connection) else { return ([Int64?](), [Int64: [StateKey: String]](), [Row]()) }
            let before = try TimelineQueries.stateGroups(
                roomNID: room, upTo: Set(stateEvents.map { $0.event.streamOrdering - 1 }), in: connection
            )
            let groups = stateEvents.map { before[$0.event.streamOrdering - 1] }
            let keyNIDs = try self.stateKeyNIDs(Array(Set(stateEvents.map(\.key))), in: connection)
            let entries = try StateGroupsTable.entries(keyNIDs: Array(keyNIDs.values), groups: Set(groups.compactMap { $0 }), in: connection)
            let keyed = entries.mapValues { slots in Self.keyed(slots, by: keyNIDs) }
            return (groups, keyed, try TimelineQueries.events(Self.distinct(keyed.values.flatMap(\.values)), in: connection))
        }
        let loaded = try Self.byEventID(rows)
        var replaced: [EventID: RoomEvent] = [:]
        for ((event, key), group) in zip(stateEvents, groups) {
            if let group, let previous = entries[group]?[key], let previousEvent = loaded[Array(previous.utf8)] {
                replaced[event.eventID] = previousEvent
            }
        }
        return replaced
    }

    /// Event rows keyed by their event ID's bytes.
    private static func byEventID(_ rows: [Row]) throws(RoomStoreError) -> [[UInt8]: RoomEvent] {
        var loaded: [[UInt8]: RoomEvent] = [:]
        for row in rows {
            let event = try TimelineQueries.decode(row)
            loaded[Array(event.eventID.rawValue.utf8)] = event
        }
        return loaded
    }

    /// `ids` without repeats, compared by bytes.
    private static func distinct(_ ids: [String]) -> [String] {
        var seen = Set<[UInt8]>()
        return ids.filter { seen.insert(Array($0.utf8)).inserted }
    }

    private static func keyed(_ slots: [Int64: String], by keyNIDs: [StateKey: Int64]) -> [StateKey: String] {
        var keyed: [StateKey: String] = [:]
        for (key, nid) in keyNIDs {
            if let eventID = slots[nid] { keyed[key] = eventID }
        }
        return keyed
    }
}
