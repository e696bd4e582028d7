import AccountData
import E2EE
import MatrixTypes
import Presence
import Receipts
import Replication
import Rooms
import RoomStore
import Storage
import Typing

/// Builds one `/sync` response for the stream range `(since, upTo]`.
struct SyncResponseBuilder: Sendable {
    struct Response {
        var json: JSONValue
        var isEmpty: Bool
        /// The response's `next_batch`: `upTo`, but for to-device messages when more wait than one response holds.
        var next: SyncToken
        /// The joined rooms whose notices should wake this user's next long-poll.
        var syncedRooms: Set<RoomID>
        /// The members lazy loading sent per room, which the device holds once it continues from this response.
        var lazySent: [RoomID: Set<StateKey>]
    }

    let request: SyncRequest
    let since: SyncToken?
    let upTo: SyncToken
    let memberships: [MembershipRecord]
    let sources: SyncSources
    let notifier: Notifier
    let lazyMembers: LazyMemberRecord
    let ignored: IgnoredUsers

    private var viewer: ClientEventFormat.Viewer {
        .init(userID: request.user, deviceID: request.deviceID, format: request.filter.eventFormat)
    }
    private var isInitial: Bool { since == nil || request.fullState }

    /// Where `roomID`'s events stand in `positions`: at its writer's position.
    private func events(in roomID: RoomID, _ positions: EventPositions) -> Int64 {
        positions.position(in: roomID, ownership: notifier.ownership)
    }

    /// The end of the range for `roomID`'s events.
    private func upTo(_ roomID: RoomID) -> Int64 {
        events(in: roomID, upTo.events)
    }

    static func empty(next: SyncToken) -> JSONValue {
        ["next_batch": .string(next.description), "rooms": ["join": [:], "invite": [:], "knock": [:], "leave": [:]], "account_data": ["events": []]]
    }

    func build() async throws(RoomError) -> Response {
        let sinceEvents = isInitial ? nil : since?.events
        let memberships = try await membershipsAtUpTo()
        let joined = SyncService.joined(memberships)
        var changedRooms: Set<RoomID>?
        if let sinceEvents {
            changedRooms = try await ChangedRooms.among(
                joined, after: sinceEvents, upTo: upTo.events, notifier: notifier, timeline: sources.timeline
            )
        }
        let ephemeral = try await ephemeralEvents(in: joined)
        let roomAccountData = try await accountDataChanges()
        let presenceEvents = try await RoomError.catching {
            try await sources.presence.changes(
                for: request.user, rooms: joined, after: isInitial ? nil : since?.presence, upTo: upTo.presence, epoch: since?.typingEpoch
            )
        }.filter { request.filter.presence.matches(type: "m.presence", sender: $0["sender"]?.stringValue ?? "") }

        var removed: Set<RoomID> = []
        if sinceEvents == nil, !request.filter.includeLeave { removed = try await RemovedRooms.among(memberships, user: request.user, timeline: sources.timeline) }
        let context = SectionContext(
            sinceEvents: sinceEvents, changedRooms: changedRooms, ephemeral: ephemeral, roomAccountData: roomAccountData.rooms, removed: removed
        )
        // Rooms are independent: building several at once keeps every reader connection busy instead of waiting on
        // one store round trip after another.
        let sections = try await concurrentlyMapped(memberships, limit: Self.roomsAtOnce) { (record: MembershipRecord) async throws(RoomError) in
            try await section(for: record, context: context)
        }
        var join: JSONObject = [:]
        var invite: JSONObject = [:]
        var knock: JSONObject = [:]
        var leave: JSONObject = [:]
        var lazySent: [RoomID: Set<StateKey>] = [:]
        for (record, section) in zip(memberships, sections) {
            switch section {
            case .join(let room, let sent):
                if !sent.isEmpty { lazySent[record.roomID] = sent }
                join[record.roomID.rawValue] = room
            case .invite(let room): invite[record.roomID.rawValue] = room
            case .knock(let room): knock[record.roomID.rawValue] = room
            case .leave(let room): leave[record.roomID.rawValue] = room
            case nil: continue
            }
        }
        let timeline = request.filter.timeline
        // A timeline filter on types or senders may hide member events: then the response cannot tell.
        let filtered = timeline.types != nil || !timeline.notTypes.isEmpty || timeline.senders != nil || !timeline.notSenders.isEmpty
        let encryption = try await encryptionSections(
            membershipsMayHaveChanged: filtered || !leave.isEmpty || Self.mayCarryMembershipChanges(join)
        )
        let isEmpty = join.isEmpty && invite.isEmpty && knock.isEmpty && leave.isEmpty && roomAccountData.global.isEmpty && presenceEvents.isEmpty
            && encryption.toDevice.isEmpty && encryption.deviceLists.isEmpty
        var next = upTo
        // A token ahead of this process (another reader served it) keeps its to-device position: going back would
        // deliver again what the device acknowledged.
        next.toDevice = max(encryption.toDevicePosition, since?.toDevice ?? 0)
        var json: JSONValue = [
            "next_batch": .string(next.description),
            "rooms": ["join": .object(join), "invite": .object(invite), "knock": .object(knock), "leave": .object(leave)],
            "account_data": ["events": .array(roomAccountData.global)],
            "presence": ["events": .array(presenceEvents)],
            "to_device": ["events": .array(encryption.toDevice)],
        ]
        if request.deviceID != nil { Self.add(keyCounts: (encryption.oneTimeKeys, encryption.unusedFallback), to: &json) }
        if !isInitial { json["device_lists"] = encryption.deviceLists.json }
        return Response(json: json, isEmpty: isEmpty, next: next, syncedRooms: joined, lazySent: lazySent)
    }

    /// Whether any joined room's timeline holds a member event or has a gap that may hide one (without a gap, `state`
    /// holds only members lazy loading sends, which changed nothing).
    private static func mayCarryMembershipChanges(_ join: JSONObject) -> Bool {
        join.values.contains { room in
            room["timeline"]?["limited"] == true
                || (room["timeline"]?["events"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == EventType.member }
        }
    }

    /// The device's one-time key counts and unused fallback key types, which every response to a device carries.
    static func add(keyCounts: KeyCountCache.Counts, to json: inout JSONValue) {
        json["device_one_time_keys_count"] = KeyService.json(counts: keyCounts.oneTimeKeys)
        json["device_unused_fallback_key_types"] = .array(keyCounts.unusedFallback.map(JSONValue.string))
    }

    /// The device's to-device messages, the device-list changes since the token (none on an initial sync), and the
    /// device's key counts, which every response carries.
    ///
    /// Who newly shares or no longer shares an encrypted room is read only when some room's timeline shows a membership
    /// change or may hide one (a gap, or a filter on types or senders), as Synapse reads it from the response's
    /// membership events.
    private func encryptionSections(membershipsMayHaveChanged: Bool) async throws(RoomError) -> (
        toDevice: [JSONValue], toDevicePosition: Int64, deviceLists: DeviceListChanges, oneTimeKeys: [String: Int64], unusedFallback: [String]
    ) {
        let encryption = sources.encryption
        guard let device = request.deviceID else { return ([], upTo.toDevice, DeviceListChanges(), [:], []) }
        return try await RoomError.catching {
            let (messages, position) = try await encryption.deliver(
                to: request.user, device: device, acknowledged: since?.toDevice, upTo: upTo.toDevice
            )
            var changes = DeviceListChanges()
            if let since, !isInitial {
                changes = try await encryption.deviceListChanges(
                    for: request.user, after: since.deviceLists, upTo: upTo.deviceLists,
                    events: membershipsMayHaveChanged ? (since.events.minimum, upTo.events.writers.max() ?? upTo.events.minimum) : nil
                )
            }
            let counts = try await encryption.keyCounts(of: request.user, device: device)
            return (messages, position, changes, counts.oneTimeKeys, counts.unusedFallback)
        }
    }

    /// Rooms built at once: a few more than SQLite's reader connections, so each has the next read waiting.
    static let roomsAtOnce = 8

    /// What every room's section is decided from, read once per response.
    private struct SectionContext: Sendable {
        var sinceEvents: EventPositions?
        /// Joined rooms with events in range; `nil` on an initial sync (all of them).
        var changedRooms: Set<RoomID>?
        var ephemeral: [RoomID: [JSONValue]]
        var roomAccountData: [RoomID: [JSONValue]]
        /// Rooms the user was kicked or banned from, listed in an initial sync even without `include_leave`.
        var removed: Set<RoomID>
    }

    private enum RoomSection: Sendable {
        case join(JSONValue, lazySent: Set<StateKey>)
        case invite(JSONValue)
        case knock(JSONValue)
        case leave(JSONValue)
    }

    /// The room's entry in `join`, `invite`, `knock` or `leave`, or `nil` when the response leaves the room out.
    private func section(for record: MembershipRecord, context: SectionContext) async throws(RoomError) -> RoomSection? {
        let sinceEvents = context.sinceEvents.map { events(in: record.roomID, $0) }
        let changedSince = sinceEvents.map { record.streamOrdering > $0 } ?? true
        switch record.membership {
        case Membership.join:
            let newlyJoined = try await joinedDuringRange(record, since: sinceEvents)
            let hasEvents = context.changedRooms?.contains(record.roomID) ?? true
            let extras = context.ephemeral[record.roomID] != nil || context.roomAccountData[record.roomID] != nil
            guard hasEvents || newlyJoined || extras else { return nil }
            var (room, sent) = try await timelineAndState(
                record.roomID, after: newlyJoined ? nil : sinceEvents, upTo: upTo(record.roomID), fresh: newlyJoined || isInitial,
                joinedAt: record.streamOrdering
            )
            guard newlyJoined || extras || isInitial || FilteredTimeline.hasNews(room) else { return nil }
            room["ephemeral"] = ["events": .array(context.ephemeral[record.roomID] ?? [])]
            room["account_data"] = ["events": .array(context.roomAccountData[record.roomID] ?? [])]
            return .join(room, lazySent: sent)
        case Membership.invite where changedSince:
            guard try await !ignored.hidesInvite(record, timeline: sources.timeline) else { return nil }
            return .invite(["invite_state": ["events": .array(try await strippedState(record))]])
        case Membership.knock where changedSince:
            return .knock(["knock_state": ["events": .array(try await strippedState(record))]])
        case Membership.leave, Membership.ban:
            guard changedSince, !record.forgotten, sinceEvents != nil || request.filter.includeLeave || context.removed.contains(record.roomID)
            else { return nil }
            let joinedAndLeft = try await joinedDuringRange(record, since: sinceEvents)
            var room =
                try await sources.reader.wasJoined(before: record)
                ? try await timelineAndState(
                    record.roomID, after: sinceEvents, upTo: record.streamOrdering, fresh: sinceEvents == nil || joinedAndLeft,
                    joinedAt: nil
                ).json
                : try await onlyEvent(record)
            room["account_data"] = ["events": []]
            return .leave(room)
        default:
            return nil
        }
    }

    /// The memberships as they stood at `upTo`: one that changed after the positions were read is replaced by
    /// the one in force at `upTo`, so the room's events up to there are not skipped.
    private func membershipsAtUpTo() async throws(RoomError) -> [MembershipRecord] {
        var records: [MembershipRecord] = []
        for record in memberships {
            guard record.streamOrdering > upTo(record.roomID) else {
                records.append(record)
                continue
            }
            guard let earlier = try await sources.reader.membership(of: request.user, in: record.roomID, atStream: upTo(record.roomID))
            else { continue }
            records.append(MembershipRecord(
                userID: record.userID, roomID: record.roomID, membership: earlier.membership, eventID: earlier.event.eventID,
                streamOrdering: earlier.event.streamOrdering, forgotten: false
            ))
        }
        return records
    }

    /// A left room the user never joined (a rejected invite, a ban from outside): only their own membership event.
    private func onlyEvent(_ record: MembershipRecord) async throws(RoomError) -> JSONValue {
        let events = try await RoomError.catching { try await sources.timeline.events([record.eventID]) }
        return [
            "timeline": [
                "events": .array(try await sources.reader.format(events, in: record.roomID, viewer: viewer, includeRoomID: false)),
                "limited": false, "prev_batch": .string(RoomToken.stream(record.streamOrdering).description),
            ],
            "state": ["events": []],
        ]
    }

    /// A joined or left room's timeline (newest events in range) and the state at its start, with the members
    /// lazy loading sent. `joinedAt`: where the user's current join took effect, when joined (events from there on
    /// are theirs to read).
    private func timelineAndState(_ roomID: RoomID, after: Int64?, upTo: Int64, fresh: Bool, joinedAt: Int64?) async throws(RoomError)
        -> (json: JSONValue, lazySent: Set<StateKey>)
    {
        let filter = request.filter
        let recent = try await FilteredTimeline.load(
            roomID, after: after, upTo: upTo, joinedAt: joinedAt, user: request.user, filter: filter, ignored: ignored, sources: sources
        )
        let timeline = recent.timeline
        let lazy = filter.lazyLoadMembers
        var needed = SyncStateDelta.membersNeeded(by: timeline)
        if fresh { needed.insert(.member(request.user.rawValue)) }
        var held: Set<StateKey> = []
        if lazy, !fresh, !filter.includeRedundantMembers {
            held = needed.subtracting(lazyMembers.unsent(needed, user: request.user, device: request.deviceID, room: roomID))
        }
        let delta = try await SyncStateDelta(
            sources: sources, roomID: roomID, recent: recent.events, limited: recent.limited, timeline: timeline,
            since: fresh ? nil : after, upTo: upTo, lazyMembers: lazy ? needed : nil, heldMembers: held
        ).compute()
        var (state, lazySent) = lazy ? lazyLoaded(delta, roomID: roomID, timeline: timeline) : (delta.events, [])
        let prevBatch: RoomToken =
            recent.events.first.map { .topological(depth: $0.topologicalOrdering, stream: $0.streamOrdering) } ?? .stream(upTo)
        var room: JSONValue = [
            "timeline": [
                "events": .array(try await sources.reader.format(timeline, in: roomID, viewer: viewer, includeRoomID: false, withPreviousState: true)),
                "limited": .bool(recent.limited),
                "prev_batch": .string(prevBatch.description),
            ],
        ]
        // A member event in the range, or a member slot the client held otherwise at `since`; a member lazy loading
        // sends because the timeline needs it changes nothing (Synapse recomputes on timeline members, or on state
        // members in a gap, where it notes false positives).
        let membersChanged = recent.events.contains { $0.type == EventType.member } || delta.changed.contains { $0.type == EventType.member }
        if fresh || membersChanged {
            let summary = try await SyncRoomSummary.load(roomID, for: request.user, state: sources.state)
            room["summary"] = summary.json
            if lazy {
                let heroes = try await unsentHeroes(summary, known: lazySent, roomID: roomID)
                state += heroes
                lazySent.formUnion(heroes.compactMap(Self.memberSlot))
            }
        }
        let sorted = state.sorted { $0.streamOrdering < $1.streamOrdering }
        room["state"] = ["events": .array(try await sources.reader.format(sorted, in: roomID, viewer: viewer, includeRoomID: false))]
        return (room, lazySent)
    }

    /// Whether the user's join happened after `since` (a profile change is a join event too, but not a new join).
    /// For a room left since then: whether it was joined and left within the range, which brings its full state.
    private func joinedDuringRange(_ record: MembershipRecord, since: Int64?) async throws(RoomError) -> Bool {
        guard let since, record.streamOrdering > since else { return false }
        guard let previous = try await stateMap(record.roomID, atStream: since)[.member(request.user.rawValue)] else { return true }
        let event = try await RoomError.catching { try await sources.timeline.events([previous]) }.first
        let membership = event.flatMap { try? JSONValue.parse($0.json) }?["content"]?["membership"]?.stringValue
        return membership != Membership.join
    }

    /// Lazy loading: of the member events in the state, those the device already holds are left out, unless they
    /// changed since `since` or the filter's `include_redundant_members` asks for them all. Also returns every
    /// member the device holds once it has this response (those sent and those the timeline set).
    private func lazyLoaded(
        _ delta: SyncStateDelta.Result, roomID: RoomID, timeline: [RoomEvent]
    ) -> (events: [RoomEvent], sent: Set<StateKey>) {
        var state = delta.events
        if !request.filter.includeRedundantMembers {
            let unchanged = Set(state.compactMap(Self.memberSlot)).subtracting(delta.changed)
            let unsent = lazyMembers.unsent(unchanged, user: request.user, device: request.deviceID, room: roomID)
            state.removeAll { event in Self.memberSlot(event).map { unchanged.contains($0) && !unsent.contains($0) } ?? false }
        }
        return (state, Set((state + timeline).compactMap(Self.memberSlot)))
    }

    /// The heroes' member events a lazy-loading device holds neither already nor from this response: it needs
    /// them to name the room.
    private func unsentHeroes(_ summary: SyncRoomSummary, known: Set<StateKey>, roomID: RoomID) async throws(RoomError) -> [RoomEvent] {
        let missing = lazyMembers.unsent(
            Set(summary.heroMembers.keys).subtracting(known), user: request.user, device: request.deviceID, room: roomID
        )
        let ids = missing.compactMap { summary.heroMembers[$0] }
        guard !ids.isEmpty else { return [] }
        return try await RoomError.catching { try await sources.timeline.events(ids) }
    }

    private static func memberSlot(_ event: RoomEvent) -> StateKey? {
        event.type == EventType.member ? event.stateKey.map { StateKey.member($0) } : nil
    }

    private func stateMap(_ roomID: RoomID, atStream stream: Int64) async throws(RoomError) -> [StateKey: EventID] {
        try await RoomError.catching { try await sources.state.state(in: roomID, atStream: stream) } ?? [:]
    }

    private func stateEvents(_ roomID: RoomID, atStream stream: Int64) async throws(RoomError) -> [RoomEvent] {
        let ids = try await stateMap(roomID, atStream: stream)
        return try await RoomError.catching { try await sources.timeline.events(Array(ids.values)) }
    }

    /// The stripped state an invitee or a knocker sees: the room's identifying state plus the membership itself. For
    /// a room held elsewhere, what its server sent (`unsigned.invite_room_state`, `unsigned.knock_room_state`).
    private func strippedState(_ record: MembershipRecord) async throws(RoomError) -> [JSONValue] {
        if let membership = try await RoomError.catching({ try await sources.timeline.event(record.eventID) }),
            let json = try? JSONValue.parse(membership.json),
            let carried = (json["unsigned"]?["invite_room_state"] ?? json["unsigned"]?["knock_room_state"])?.arrayValue
        {
            return carried + [
                StrippedState.entry(type: membership.type, stateKey: membership.stateKey ?? "", sender: membership.sender, content: json["content"] ?? [:])
            ]
        }
        let state = try await stateEvents(record.roomID, atStream: record.streamOrdering)
        return state.compactMap { event in
            guard (StrippedState.types.contains(event.type) && event.stateKey == "") || event.eventID == record.eventID,
                let json = try? JSONValue.parse(event.json)
            else { return nil }
            return StrippedState.entry(type: event.type, stateKey: event.stateKey ?? "", sender: event.sender, content: json["content"] ?? [:])
        }
    }

    /// `m.typing` and `m.receipt` events per joined room.
    private func ephemeralEvents(in rooms: Set<RoomID>) async throws(RoomError) -> [RoomID: [JSONValue]] {
        var result: [RoomID: [JSONValue]] = [:]
        let typingSince = isInitial ? -1 : since?.typing ?? -1
        let typingEpoch = isInitial ? -1 : since?.typingEpoch ?? -1
        for (room, users) in sources.typing.typing(in: rooms, after: typingSince, epoch: typingEpoch) {
            result[room, default: []].append(["type": "m.typing", "content": ["user_ids": .array(users.map { .string($0.rawValue) })]])
        }
        let receiptsSince = isInitial ? nil : since?.receipts
        guard receiptsSince != upTo.receipts else { return result }
        let receiptContent = try await RoomError.catching {
            try await sources.receipts.receipts(in: rooms, after: receiptsSince, upTo: upTo.receipts, viewer: request.user)
        }
        for (room, content) in receiptContent {
            result[room, default: []].append(["type": "m.receipt", "content": content])
        }
        return result
    }

    private func accountDataChanges() async throws(RoomError) -> (global: [JSONValue], rooms: [RoomID: [JSONValue]]) {
        let accountDataSince = isInitial ? nil : since?.accountData
        guard accountDataSince != upTo.accountData else { return ([], [:]) }
        let entries = try await RoomError.catching { try await sources.accountData.changes(of: request.user, after: accountDataSince, upTo: upTo.accountData) }
        var global: [JSONValue] = []
        var rooms: [RoomID: [JSONValue]] = [:]
        for entry in entries {
            let event: JSONValue = ["type": .string(entry.type), "content": entry.content]
            if let room = entry.roomID { rooms[room, default: []].append(event) } else { global.append(event) }
        }
        return (global, rooms)
    }
}
