import MatrixTypes
import Rooms
import RoomStore
import Storage

/// One room's `state` section, as Synapse computes it: (the state after the timeline's first event ∪ the state at
/// its end) − the state at `since` − the timeline's own state events. The client lays it over what it held at
/// `since` and then plays the timeline. On linear history that is the spec's "changes between `since` and the
/// start of the timeline"; taking the end into account as well keeps a state change that a fork (or a timeline
/// filter) put out of the timeline from being lost.
struct SyncStateDelta {
    let sources: SyncSources
    let roomID: RoomID
    /// Every event of the range before the visibility and timeline filters, oldest first.
    let recent: [RoomEvent]
    /// Whether older events of the range were left out (a gap).
    let limited: Bool
    /// The timeline as sent.
    let timeline: [RoomEvent]
    /// Where the state the client holds stands; `nil` for a room new to the client (initial sync, `full_state`,
    /// a room joined since the last sync), whose state starts from nothing.
    let since: Int64?
    let upTo: Int64
    /// With lazy loading, the member slots the timeline needs (its senders'); every other member slot is left
    /// out unless it changed in a gap. `nil` without lazy loading.
    let lazyMembers: Set<StateKey>?
    /// Of `lazyMembers`, those the device holds already (lazy loading's record, unless every member is to be sent
    /// again): a linear range without state events leaves them unchanged, so they are not read at all.
    var heldMembers: Set<StateKey> = []

    struct Result {
        var events: [RoomEvent]
        /// Slots whose event differs from the one the client held at `since`: sent even if lazy loading believes
        /// the device holds them. Every slot, for a room new to the client.
        var changed: Set<StateKey>
    }

    func compute() async throws(RoomError) -> Result {
        if let since, !limited, let linear = try await linearDelta(since: since) { return linear }
        let end = try await stateMap(atStream: upTo)
        var start = end
        if let first = timeline.first {
            let after = try await RoomError.catching { try await sources.state.state(after: first.eventID) }
            if let after { start = after } else { start = try await stateMap(atStream: first.streamOrdering) }
        }
        var previous: [StateKey: EventID] = [:]
        if let since { previous = try await stateMap(atStream: since) }
        // In a gap every change counts, members included; otherwise lazy loading only wants the senders'.
        let restrictAll = since == nil || !limited
        let ids = Self.calculate(
            timeline: Self.lastPerSlot(timeline), start: restricted(start),
            end: restrictAll ? restricted(end) : end, previous: restrictAll ? restricted(previous) : previous,
            lazyLoading: lazyMembers != nil
        )
        let events = try await RoomError.catching { try await sources.timeline.events(Array(ids.values)) }
        return Result(events: events, changed: changedSlots(ids, previous: previous))
    }

    /// An incremental sync without a gap whose events each follow the one before (and the first, the room's last
    /// event at `since`): only the slots the range's state events and lazy loading touch can differ, so only
    /// those are read. `nil` when the history is not linear.
    private func linearDelta(since: Int64) async throws(RoomError) -> Result? {
        guard let oldest = recent.first, let newest = recent.last else { return Result(events: [], changed: []) }
        let last = try await RoomError.catching { try await sources.timeline.lastEventID(in: roomID, upTo: since) }
        var previous = last
        for event in recent {
            guard let parent = previous, Self.prevEvents(of: event) == [parent] else { return nil }
            previous = event.eventID
        }
        var slots = Set(recent.compactMap { event in event.stateKey.map { StateKey(event.type, $0) } })
        slots.formUnion(slots.isEmpty ? (lazyMembers ?? []).subtracting(heldMembers) : lazyMembers ?? [])
        guard !slots.isEmpty else { return Result(events: [], changed: []) }
        let anchors = [oldest, newest] + (timeline.first.map { [$0] } ?? [])
        let read = try await RoomError.catching { try await sources.state.slots(Array(slots), at: anchors) }
        let before = read.beforeOldest
        let end = read.after[newest.eventID] ?? before
        let start = timeline.first.flatMap { read.after[$0.eventID] } ?? end
        let ids = Self.calculate(
            timeline: Self.lastPerSlot(timeline), start: restricted(start.mapValues(\.eventID)),
            end: restricted(end.mapValues(\.eventID)), previous: restricted(before.mapValues(\.eventID)),
            lazyLoading: lazyMembers != nil
        )
        var known: [EventID: RoomEvent] = [:]
        for map in [before, start, end] { for event in map.values { known[event.eventID] = event } }
        return Result(events: ids.values.compactMap { known[$0] }, changed: changedSlots(ids, previous: before.mapValues(\.eventID)))
    }

    private func changedSlots(_ ids: [StateKey: EventID], previous: [StateKey: EventID]) -> Set<StateKey> {
        guard since != nil else { return Set(ids.keys) }
        return Set(ids.filter { previous[$0.key] != $0.value }.keys)
    }

    /// The state without the member slots lazy loading does not want.
    private func restricted(_ state: [StateKey: EventID]) -> [StateKey: EventID] {
        guard let lazyMembers else { return state }
        return state.filter { $0.key.type != EventType.member || lazyMembers.contains($0.key) }
    }

    private func stateMap(atStream stream: Int64) async throws(RoomError) -> [StateKey: EventID] {
        try await RoomError.catching { try await sources.state.state(in: roomID, atStream: stream) } ?? [:]
    }

    /// Synapse's `_calculate_state`. With lazy loading, the members at the timeline's start are sent even if the
    /// client held them at `since` (which client-side record of sent members then thins out). Where the start
    /// and the end disagree on a slot and both survive, the end's event wins.
    static func calculate(
        timeline: [StateKey: EventID], start: [StateKey: EventID], end: [StateKey: EventID], previous: [StateKey: EventID],
        lazyLoading: Bool
    ) -> [StateKey: EventID] {
        var held = Set(previous.values)
        if lazyLoading { held.subtract(start.filter { $0.key.type == EventType.member }.values) }
        let inTimeline = Set(timeline.values)
        var result: [StateKey: EventID] = [:]
        for (slot, id) in start where !held.contains(id) && !inTimeline.contains(id) { result[slot] = id }
        for (slot, id) in end where !held.contains(id) && !inTimeline.contains(id) { result[slot] = id }
        return result
    }

    /// The timeline's contribution to the state: the last event of each slot.
    static func lastPerSlot(_ events: [RoomEvent]) -> [StateKey: EventID] {
        var slots: [StateKey: EventID] = [:]
        for event in events { if let key = event.stateKey { slots[StateKey(event.type, key)] = event.eventID } }
        return slots
    }

    /// The member slots lazy loading needs for `timeline`: each sender's, unless the timeline set it before the
    /// sender's first event there.
    static func membersNeeded(by timeline: [RoomEvent]) -> Set<StateKey> {
        var needed: Set<StateKey> = []
        var set: Set<StateKey> = []
        for event in timeline {
            let sender = StateKey.member(event.sender.rawValue)
            if !set.contains(sender) { needed.insert(sender) }
            if let key = event.stateKey { set.insert(StateKey(event.type, key)) }
        }
        return needed
    }

    /// An event's `prev_events` (room versions 1 and 2 list `[id, hashes]` pairs, later ones bare IDs).
    static func prevEvents(of event: RoomEvent) -> [EventID]? {
        guard let entries = (try? JSONValue.parse(event.json))?["prev_events"]?.arrayValue else { return nil }
        var ids: [EventID] = []
        for entry in entries {
            guard let raw = entry.stringValue ?? entry.arrayValue?.first?.stringValue, let id = try? EventID(raw) else { return nil }
            ids.append(id)
        }
        return ids
    }
}
