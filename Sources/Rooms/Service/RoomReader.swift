public import AccountData
public import Accounts
import EventAuth
import MatrixCrypto
public import MatrixTypes
public import Replication
public import RoomStore
import Storage

/// What members read from rooms: events, state, members and history, each limited to what the reader may see
/// (up to their leave or ban after having joined, and of that what the history visibility in force at each event
/// shows them).
public final class RoomReader: Sendable {
    let store: RoomStore
    let versions: RoomVersions
    /// Whose events are shown redacted to those who were not there (``markingErasedSenders(_:viewer:joinedAt:)``).
    let erasedUsers: ErasedUsers
    /// Where each reader's ignore list is kept: `/event`, `/messages` and `/context` leave out what those they
    /// ignore sent, as Synapse does.
    let accountData: any AccountDataReads
    let clock: @Sendable () -> Int64
    /// How far each room's events are committed (its writer's position), where history is read from "now".
    let events: EventWriterPositions
    /// Where history older than what is stored comes from (other servers); `nil` without federation.
    let backfill: (any HistoryBackfill)?

    /// `events` defaults to `store` as the only writer.
    public init(
        store: RoomStore, erasedUsers: ErasedUsers, accountData: any AccountDataReads, events: EventWriterPositions? = nil,
        backfill: (any HistoryBackfill)? = nil, clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.store = store
        self.backfill = backfill
        self.events = events ?? EventWriterPositions(soleWriter: store)
        self.versions = RoomVersions(store: store)
        self.erasedUsers = erasedUsers
        self.accountData = accountData
        self.clock = clock
    }

    /// How far `viewer` may read `roomID`: up to `upTo` (everything while joined; up to their leave or ban after
    /// having joined), and from `joinedAt` on with no history visibility check (where their current join began).
    /// `peeking`: read from outside the room, which shows only what was written while it was `world_readable`.
    public struct Access: Sendable {
        public var upTo: Int64
        public var joinedAt: Int64?
        public var peeking: Bool

        public init(upTo: Int64, joinedAt: Int64?, peeking: Bool = false) {
            self.upTo = upTo
            self.joinedAt = joinedAt
            self.peeking = peeking
        }
    }

    /// Members read as members; anyone else (invited, never joined, forgotten) peeks, while the room's current
    /// history visibility is `world_readable` (Synapse's `check_user_in_room_or_world_readable`).
    public func access(_ roomID: RoomID, viewer: UserID) async throws(RoomError) -> Access {
        let record = try await RoomError.catching { try await store.membershipRecord(of: viewer, in: roomID) }
        switch record?.membership {
        case Membership.join?: return Access(upTo: Int64.max, joinedAt: record?.streamOrdering)
        case Membership.leave?, Membership.ban?:
            guard let record, !record.forgotten else { return try await peek(roomID, refusal: "You have forgotten this room") }
            guard try await wasJoined(before: record) else { return try await peek(roomID, refusal: "You were never a member of this room") }
            return Access(upTo: record.streamOrdering, joinedAt: nil)
        default: return try await peek(roomID, refusal: "You are not a member of this room")
        }
    }

    /// Access from outside the room: its current state and what its history visibility showed the world.
    private func peek(_ roomID: RoomID, refusal: String) async throws(RoomError) -> Access {
        guard try await isWorldReadable(roomID) else { throw .forbidden(refusal) }
        return Access(upTo: Int64.max, joinedAt: nil, peeking: true)
    }

    /// Whether the room's current `m.room.history_visibility` is `world_readable`, so anyone may read it.
    public func isWorldReadable(_ roomID: RoomID) async throws(RoomError) -> Bool {
        let key = StateKey(HistoryVisibility.eventType, "")
        let current = try await RoomError.catching { try await store.currentSlots([key], in: [roomID]) }
        return HistoryVisibility.setting(current[roomID]?[key]) == .worldReadable
    }

    /// The current events in `keys` of each of `rooms` (a room with no state is left out), read at once. No
    /// visibility check: for the public directory's summaries of the rooms it lists, which anyone may read.
    public func currentState(_ keys: [StateKey], in rooms: [RoomID]) async throws(RoomError) -> [RoomID: [StateKey: RoomEvent]] {
        try await RoomError.catching { try await store.currentSlots(keys, in: rooms) }
    }

    /// Whether `user` is joined to `roomID` now (reading it as a peeker is not being in it).
    public func isJoined(_ roomID: RoomID, user: UserID) async throws(RoomError) -> Bool {
        try await RoomError.catching { try await store.membershipRecord(of: user, in: roomID) }?.membership
            == Membership.join
    }

    /// The events of `events` — a run of consecutive events of one room's timeline — that `viewer` may read by the
    /// history visibility and their membership in force at each (events from `joinedAt` on are theirs anyway).
    /// One read for the whole run, and none when it all follows the viewer's join. A `peeking` viewer is not in the
    /// room, so `shared` history is not theirs.
    public func readable(
        _ events: [RoomEvent], viewer: UserID, joinedAt: Int64?, peeking: Bool = false
    ) async throws(RoomError) -> [RoomEvent] {
        func sinceJoin(_ event: RoomEvent) -> Bool { joinedAt.map { event.streamOrdering >= $0 } ?? false }
        let checked = events.filter { !sinceJoin($0) }
        guard !checked.isEmpty else { return events }
        let slots = try await RoomError.catching {
            try await store.slots(HistoryVisibility.slots(for: viewer), at: checked)
        }
        let allowed = Set(HistoryVisibility.visible(checked, to: viewer, slots: slots, peeking: peeking).map(\.eventID))
        return try await markingErasedSenders(
            events.filter { sinceJoin($0) || allowed.contains($0.eventID) }, viewer: viewer, joinedAt: joinedAt
        )
    }

    /// Whether the user was joined just before `record` took effect: someone who leaves after a rejected invite
    /// or is banned without ever joining sees no history.
    public func wasJoined(before record: MembershipRecord) async throws(RoomError) -> Bool {
        try await membership(of: record.userID, in: record.roomID, atStream: record.streamOrdering - 1)?.membership == Membership.join
    }

    /// The user's membership event in force at stream position `stream`, with its membership.
    public func membership(of user: UserID, in roomID: RoomID, atStream stream: Int64) async throws(RoomError)
        -> (membership: String, event: RoomEvent)?
    {
        let state = try await RoomError.catching { try await store.state(in: roomID, atStream: stream) }
        guard let id = state?[.member(user.rawValue)],
            let event = try await RoomError.catching({ try await store.events([id]) }).first,
            let membership = (try? JSONValue.parse(event.json))?["content"]?["membership"]?.stringValue
        else { return nil }
        return (membership, event)
    }

    /// Whether `user` may send the state event `type` by the room's current power levels.
    public func maySendState(_ type: String, user: UserID, in roomID: RoomID) async throws(RoomError) -> Bool {
        let version = try await versions.version(of: roomID)
        let state = try await stateEvents(roomID, atStream: Int64.max)
        func pdu(_ type: String) -> PDU? {
            state.first { $0.type == type && $0.stateKey == "" }.flatMap { try? PDU(bytes: $0.json, version: version) }
        }
        let levels = RoomPowerLevels(create: pdu(EventType.create), powerLevels: pdu(EventType.powerLevels), version: version)
        return levels.userLevel(user.rawValue) >= levels.requiredLevel(eventType: type, isState: true)
    }

    /// Client-format JSON for events of one room. Timelines pass `withPreviousState` so state events carry what
    /// they replaced; a state snapshot does not need it.
    public func format(
        _ events: [RoomEvent], in roomID: RoomID, viewer: ClientEventFormat.Viewer?, includeRoomID: Bool = true,
        withPreviousState: Bool = false
    ) async throws(RoomError) -> [JSONValue] {
        guard !events.isEmpty else { return [] }
        let version = try await versions.version(of: roomID)
        let replaced = withPreviousState ? try await RoomError.catching { try await store.replacedState(of: events) } : [:]
        let now = clock()
        return events.map { event in
            ClientEventFormat.json(
                event, version: version, viewer: viewer, now: now, includeRoomID: includeRoomID, replaced: replaced[event.eventID]
            )
        }
    }

    /// As Synapse answers: an event the viewer may not read is unknown (`404`), not forbidden. Someone the room
    /// does not let in reads it as a peeker: only what history visibility showed the world when it was written.
    /// An event an ignored user sent (`ignoring`) is unknown too, as Synapse answers.
    public func event(_ eventID: EventID, in roomID: RoomID, viewer: ClientEventFormat.Viewer) async throws(RoomError) -> JSONValue {
        let event = try await visibleEvent(eventID, in: roomID, viewer: viewer.userID)
        guard !IgnoredUserList.hides(event, ignoring: try await ignoredUsers(of: viewer.userID)) else { throw .eventNotFound }
        return try await format([event], in: roomID, viewer: viewer)[0]
    }

    /// Checks that `user` may read `eventID` (what a receipt or read marker may name), whoever sent it.
    public func checkReadable(_ eventID: EventID, in roomID: RoomID, user: UserID) async throws(RoomError) {
        _ = try await visibleEvent(eventID, in: roomID, viewer: user)
    }

    /// The event as `viewer` may read it, reading as a peeker when not a member.
    private func visibleEvent(_ eventID: EventID, in roomID: RoomID, viewer: UserID) async throws(RoomError) -> RoomEvent {
        let access: Access
        do {
            access = try await self.access(roomID, viewer: viewer)
        } catch {
            guard case .forbidden = error else { throw error }
            access = Access(upTo: Int64.max, joinedAt: nil, peeking: true)
        }
        return try await readableEvent(eventID, in: roomID, viewer: viewer, access: access)
    }

    /// The users `user` ignores now.
    private func ignoredUsers(of user: UserID) async throws(RoomError) -> Set<JSONKey> {
        try await RoomError.catching { try await IgnoredUserList.load(for: user, from: accountData) }
    }

    /// The state events visible to `viewer` (current while joined or peeking).
    public func state(of roomID: RoomID, viewer: UserID) async throws(RoomError) -> [RoomEvent] {
        try await state(of: roomID, access: access(roomID, viewer: viewer))
    }

    /// The state events as far as `access` reaches.
    public func state(of roomID: RoomID, access: Access) async throws(RoomError) -> [RoomEvent] {
        try await stateEvents(roomID, atStream: access.upTo)
    }

    /// The content (or whole event) of one state entry.
    public func stateEvent(_ key: StateKey, of roomID: RoomID, viewer: UserID) async throws(RoomError) -> RoomEvent {
        let limit = try await access(roomID, viewer: viewer).upTo
        let state = try await RoomError.catching { try await store.state(in: roomID, atStream: limit) }
        guard let id = state?[key], let event = try await RoomError.catching({ try await store.visibleEvent(id) })
        else { throw .eventNotFound }
        return event
    }

    /// Member events at `at` (default: what the viewer may see now), filtered by membership.
    public func members(
        of roomID: RoomID, viewer: UserID, at: RoomToken?, membership: String?, notMembership: String?
    ) async throws(RoomError) -> [RoomEvent] {
        let access = try await access(roomID, viewer: viewer)
        var limit = access.upTo
        if let at {
            switch at {
            case .stream(let stream): limit = min(limit, stream)
            case .writers(let positions): limit = min(limit, position(positions, in: roomID))
            case .topological(_, let stream): limit = min(limit, stream - 1)
            }
            try await checkStateReadable(roomID, atStream: limit, viewer: viewer, access: access)
        }
        let events = try await stateEvents(roomID, atStream: limit).filter { $0.type == EventType.member }
        return events.filter { event in
            let value = (try? JSONValue.parse(event.json))?["content"]?["membership"]?.stringValue
            if let membership, value != membership { return false }
            if let notMembership, value == notMembership { return false }
            return true
        }
    }

    public func joinedRooms(of user: UserID) async throws(RoomError) -> [RoomID] {
        try await RoomError.catching { try await store.rooms(of: user, membership: Membership.join) }
    }

    /// One page of history; `end` is `nil` when no further page exists.
    public func messages(
        in roomID: RoomID, viewer: ClientEventFormat.Viewer, from: RoomToken?, to: RoomToken?, direction: HistoryDirection,
        limit: Int, filter: EventFilter
    ) async throws(RoomError) -> (chunk: [JSONValue], start: RoomToken, end: RoomToken?) {
        let access = try await access(roomID, viewer: viewer.userID)
        var filter = filter
        filter.ignoredSenders = try await ignoredUsers(of: viewer.userID)
        let start = from.map { resolved($0, in: roomID) }
            ?? (direction == .backward ? .stream(min(access.upTo, events.persistedUpTo(in: roomID))) : .stream(0))
        let from = bound(start, in: roomID)
        let until = to.map { bound($0, in: roomID) }
        var page = try await RoomError.catching {
            try await store.history(in: roomID, from: from, to: until, direction: direction, limit: limit)
        }
        if direction == .backward, page.count < limit, try await backfilled(roomID, below: from, limit: limit) {
            page = try await RoomError.catching {
                try await store.history(in: roomID, from: from, to: until, direction: direction, limit: limit)
            }
        }
        // As Synapse: `end` is left out only when the store has nothing more, so a page whose events the viewer
        // may not read keeps it; paging forward ends past the viewer's leave, where nothing is theirs to read.
        let inRange = page.filter { $0.streamOrdering <= access.upTo }
        let pastLeave = inRange.count < page.count
        let events = try await readable(inRange, viewer: viewer.userID, joinedAt: access.joinedAt, peeking: access.peeking)
        let end: RoomToken? =
            if let last = direction == .forward && pastLeave ? inRange.last : page.last {
                direction == .backward
                    ? .topological(depth: last.topologicalOrdering, stream: last.streamOrdering)
                    : .topological(depth: last.topologicalOrdering, stream: last.streamOrdering + 1)
            } else {
                nil
            }
        return (try await format(events.filter(filter.matches), in: roomID, viewer: viewer, withPreviousState: true), start, end)
    }

    /// Fetches older history from other servers when the stored history below `bound` refers to events it lacks;
    /// whether any was added.
    private func backfilled(_ roomID: RoomID, below bound: HistoryBound, limit: Int) async throws(RoomError) -> Bool {
        guard let backfill else { return false }
        let depth: Int64 = if case .before(let position) = bound { position.topological } else { .max }
        let extremities = try await RoomError.catching {
            try await store.backwardExtremities(in: roomID, atOrBelow: depth, limit: Self.backfillExtremities)
        }
        guard !extremities.isEmpty else { return false }
        return await backfill.backfill(roomID, before: extremities, limit: min(max(limit, Self.backfillMinimum), Self.backfillMaximum))
    }

    /// Missing events asked about at once (as Synapse's `/backfill` requests name at most five).
    static let backfillExtremities = 5
    /// Events asked for per fetch of older history: enough for a page or two, however small the page.
    static let backfillMinimum = 20
    static let backfillMaximum = 100

    /// An event with up to `limit` events around it (half before, the rest after), tokens to page on from either
    /// end, and the room state at the last event returned (under `lazy_load_members`, only the returned senders'
    /// memberships).
    public func context(
        of eventID: EventID, in roomID: RoomID, viewer: ClientEventFormat.Viewer, limit: Int, filter: EventFilter
    ) async throws(RoomError) -> JSONValue {
        let access = try await access(roomID, viewer: viewer.userID)
        var filter = filter
        filter.ignoredSenders = try await ignoredUsers(of: viewer.userID)
        // As Synapse answers: an event that exists but is hidden from the viewer is forbidden, not unknown.
        let event = try await readableEvent(
            eventID, in: roomID, viewer: viewer.userID, access: access, hidden: .forbidden("You don't have permission to access that event")
        )
        guard !IgnoredUserList.hides(event, ignoring: filter.ignoredSenders) else {
            throw .forbidden("You don't have permission to access that event")
        }
        let beforeCount = limit / 2
        let before = beforeCount == 0 ? [] : try await RoomError.catching {
            try await store.history(in: roomID, from: .before(event.position), to: nil, direction: .backward, limit: beforeCount)
        }
        let readableBefore = try await readable(before, viewer: viewer.userID, joinedAt: access.joinedAt, peeking: access.peeking)
        let afterStart = RoomPosition(topological: event.topologicalOrdering, stream: event.streamOrdering + 1)
        let after = limit - beforeCount == 0 ? [] : try await RoomError.catching {
            try await store.history(in: roomID, from: .before(afterStart), to: nil, direction: .forward, limit: limit - beforeCount)
        }
        let readableAfter = try await readable(
            after.filter { $0.streamOrdering <= access.upTo }, viewer: viewer.userID, joinedAt: access.joinedAt, peeking: access.peeking
        )
        let last = readableAfter.last ?? event
        let first = before.last ?? event
        let shownBefore = readableBefore.filter(filter.matches)
        let shownAfter = readableAfter.filter(filter.matches)
        let state = filter.lazilyLoaded(try await stateEvents(roomID, atStream: last.streamOrdering), for: [event] + shownBefore + shownAfter)
        return [
            "event": try await format([event], in: roomID, viewer: viewer)[0],
            "events_before": .array(try await format(shownBefore, in: roomID, viewer: viewer)),
            "events_after": .array(try await format(shownAfter, in: roomID, viewer: viewer)),
            "start": .string(RoomToken.topological(depth: first.topologicalOrdering, stream: first.streamOrdering).description),
            "end": .string(RoomToken.topological(depth: last.topologicalOrdering, stream: last.streamOrdering + 1).description),
            "state": .array(try await format(state, in: roomID, viewer: viewer)),
        ]
    }

    /// One event of the room the viewer may read; `eventNotFound` when unknown, `hidden` when the viewer may not
    /// read it (by default the same answer as unknown, so nothing leaks).
    private func readableEvent(
        _ eventID: EventID, in roomID: RoomID, viewer: UserID, access: Access, hidden: RoomError = .eventNotFound
    ) async throws(RoomError) -> RoomEvent {
        guard let event = try await RoomError.catching({ try await store.visibleEvent(eventID) }),
            event.roomID == roomID
        else { throw .eventNotFound }
        guard event.streamOrdering <= access.upTo, let shown = try await readable([event], viewer: viewer, joinedAt: access.joinedAt, peeking: access.peeking).first
        else { throw hidden }
        return shown
    }

    /// Refuses reading the room's state as of stream position `stream` unless the viewer could see it then
    /// (Synapse's `_user_can_see_state_at_event`, at the last event up to there).
    private func checkStateReadable(_ roomID: RoomID, atStream stream: Int64, viewer: UserID, access: Access) async throws(RoomError) {
        if let joinedAt = access.joinedAt, stream >= joinedAt { return }
        let last = try await RoomError.catching {
            try await store.recentEvents(in: roomID, after: nil, upTo: stream, limit: 1)
        }.events
        guard !last.isEmpty else { throw .eventNotFound }
        let slots = try await RoomError.catching {
            try await store.slots(HistoryVisibility.slots(for: viewer), at: last)
        }
        guard let state = slots.after[last[0].eventID],
            HistoryVisibility.mayReadState(state, viewer: viewer, joinedNow: access.joinedAt != nil)
        else { throw .forbidden("You may not see this room's members at that point") }
    }

    func stateEvents(_ roomID: RoomID, atStream limit: Int64) async throws(RoomError) -> [RoomEvent] {
        guard let state = try await RoomError.catching({ try await store.state(in: roomID, atStream: limit) })
        else { throw .roomNotFound }
        return try await RoomError.catching { try await store.events(Array(state.values)) }
            .sorted { $0.streamOrdering < $1.streamOrdering }
    }

    /// Where a sync token's events positions stand for `roomID`: at its writer's.
    private func position(_ positions: EventPositions, in roomID: RoomID) -> Int64 {
        positions.read(under: events.ownership).position(in: roomID, ownership: events.ownership)
    }

    /// `token` with a sync token's positions read at `roomID`'s writer's.
    private func resolved(_ token: RoomToken, in roomID: RoomID) -> RoomToken {
        guard case .writers(let positions) = token else { return token }
        return .stream(position(positions, in: roomID))
    }

    /// `token`'s place in `roomID`'s history.
    private func bound(_ token: RoomToken, in roomID: RoomID) -> HistoryBound {
        switch token {
        case .topological(let depth, let stream): .before(RoomPosition(topological: depth, stream: stream))
        case .stream(let stream): .afterStream(stream)
        case .writers(let positions): .afterStream(position(positions, in: roomID))
        }
    }
}
