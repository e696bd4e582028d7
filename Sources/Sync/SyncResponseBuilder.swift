import MatrixTypes
import Replication
import Rooms
import RoomStore

/// Builds one `/sync` response for the stream range `(since, upTo]`.
struct SyncResponseBuilder {
    struct Response {
        var json: JSONValue
        var isEmpty: Bool
        /// The joined rooms whose notices should wake this user's next long-poll.
        var syncedRooms: Set<RoomID>
        /// The members lazy loading sent per room, which the device holds once it continues from this response.
        var lazySent: [RoomID: Set<StateKey>]
    }

    let request: SyncRequest
    let since: SyncToken?
    let upTo: SyncToken
    let memberships: [MembershipRecord]
    let reader: RoomReader
    let receipts: ReceiptService
    let accountData: AccountDataService
    let typing: TypingService
    let presence: PresenceService
    let notifier: Notifier
    let lazyMembers: LazyMemberRecord
    let ignored: IgnoredUsers

    private var store: RoomStore { reader.store }
    private var viewer: ClientEventFormat.Viewer {
        .init(userID: request.user, deviceID: request.deviceID, format: request.filter.eventFormat)
    }
    private var isInitial: Bool { since == nil || request.fullState }

    static func empty(next: SyncToken) -> JSONValue {
        ["next_batch": .string(next.description), "rooms": ["join": [:], "invite": [:], "leave": [:]], "account_data": ["events": []]]
    }

    func build() async throws(RoomError) -> Response {
        let sinceEvents = isInitial ? nil : since?.events
        let memberships = try await membershipsAtUpTo()
        let joined = SyncService.joined(memberships)
        var changedRooms: Set<RoomID>?
        if let sinceEvents {
            changedRooms = notifier.roomsWithEvents(after: sinceEvents, among: joined)
            if changedRooms == nil {
                // One indexed probe per joined room, however old the token: never a scan of every room's events.
                changedRooms = try await roomStoreCall { () async throws(RoomStoreError) in
                    try await store.roomsWithEvents(among: joined, after: sinceEvents, upTo: upTo.events)
                }
            }
        }
        let ephemeral = try await ephemeralEvents(in: joined)
        let roomAccountData = try await accountDataChanges()
        let presenceEvents = try await presence.changes(
            for: request.user, rooms: joined, after: isInitial ? nil : since?.presence, upTo: upTo.presence,
            epoch: since?.typingEpoch
        ).filter { request.filter.presence.matches(type: "m.presence", sender: $0["sender"]?.stringValue ?? "") }

        var join: JSONObject = [:]
        var invite: JSONObject = [:]
        var leave: JSONObject = [:]
        var lazySent: [RoomID: Set<StateKey>] = [:]
        for record in memberships {
            let changedSince = sinceEvents.map { record.streamOrdering > $0 } ?? true
            switch record.membership {
            case Membership.join:
                let newlyJoined = try await joinedDuringRange(record, since: sinceEvents)
                let hasEvents = changedRooms?.contains(record.roomID) ?? true
                let extras = ephemeral[record.roomID] != nil || roomAccountData.rooms[record.roomID] != nil
                guard hasEvents || newlyJoined || extras else { continue }
                var (room, sent) = try await timelineAndState(
                    record.roomID, after: newlyJoined ? nil : sinceEvents, upTo: upTo.events, fresh: newlyJoined || isInitial,
                    joinedAt: record.streamOrdering
                )
                guard newlyJoined || extras || isInitial || FilteredTimeline.hasNews(room) else { continue }
                if !sent.isEmpty { lazySent[record.roomID] = sent }
                room["ephemeral"] = ["events": .array(ephemeral[record.roomID] ?? [])]
                room["account_data"] = ["events": .array(roomAccountData.rooms[record.roomID] ?? [])]
                join[record.roomID.rawValue] = room
            case Membership.invite where changedSince:
                guard try await !ignored.hidesInvite(record, store: store) else { continue }
                invite[record.roomID.rawValue] = ["invite_state": ["events": .array(try await strippedState(record))]]
            case Membership.leave, Membership.ban:
                guard changedSince, !record.forgotten, sinceEvents != nil || request.filter.includeLeave else { continue }
                var room =
                    try await reader.wasJoined(before: record)
                    ? try await timelineAndState(
                        record.roomID, after: sinceEvents, upTo: record.streamOrdering, fresh: sinceEvents == nil, joinedAt: nil
                    ).json
                    : try await onlyEvent(record)
                room["account_data"] = ["events": []]
                leave[record.roomID.rawValue] = room
            default:
                continue
            }
        }
        let isEmpty = join.isEmpty && invite.isEmpty && leave.isEmpty && roomAccountData.global.isEmpty && presenceEvents.isEmpty
        let json: JSONValue = [
            "next_batch": .string(upTo.description),
            "rooms": ["join": .object(join), "invite": .object(invite), "leave": .object(leave)],
            "account_data": ["events": .array(roomAccountData.global)],
            "presence": ["events": .array(presenceEvents)],
        ]
        return Response(json: json, isEmpty: isEmpty, syncedRooms: joined, lazySent: lazySent)
    }

    /// The memberships as they stood at `upTo`: one that changed after the positions were read is replaced by
    /// the one in force at `upTo`, so the room's events up to there are not skipped.
    private func membershipsAtUpTo() async throws(RoomError) -> [MembershipRecord] {
        var records: [MembershipRecord] = []
        for record in memberships {
            guard record.streamOrdering > upTo.events else {
                records.append(record)
                continue
            }
            guard let earlier = try await reader.membership(of: request.user, in: record.roomID, atStream: upTo.events) else { continue }
            records.append(MembershipRecord(
                userID: record.userID, roomID: record.roomID, membership: earlier.membership, eventID: earlier.event.eventID,
                streamOrdering: earlier.event.streamOrdering, forgotten: false
            ))
        }
        return records
    }

    /// A left room the user never joined (a rejected invite, a ban from outside): only their own membership event.
    private func onlyEvent(_ record: MembershipRecord) async throws(RoomError) -> JSONValue {
        let events = try await roomStoreCall { () async throws(RoomStoreError) in try await store.events([record.eventID]) }
        return [
            "timeline": [
                "events": .array(try await reader.format(events, in: record.roomID, viewer: viewer, includeRoomID: false)),
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
            roomID, after: after, upTo: upTo, joinedAt: joinedAt, user: request.user, filter: filter, ignored: ignored, reader: reader
        )
        // What the history visibility at each event hides is left out; paging back from `prev_batch` hides it too.
        let readable = recent.readable
        let timeline = recent.timeline
        // The state handed over is the room's where the readable timeline starts, covering what the hidden part changed.
        let startStream = (readable.first?.streamOrdering).map { $0 - 1 } ?? upTo
        var state: [RoomEvent] = []
        var lazySent: Set<StateKey> = []
        if fresh {
            state = try await stateEvents(roomID, atStream: startStream)
        } else if recent.limited, let after {
            let before = try await stateMap(roomID, atStream: after)
            let now = try await stateMap(roomID, atStream: startStream)
            let changed = now.filter { before[$0.key] != $0.value }.map(\.value)
            state = try await roomStoreCall { () async throws(RoomStoreError) in try await store.events(changed) }
        }
        // State events the timeline filter removed still change the room: they go into `state` instead.
        let shown = Set(timeline.map(\.eventID))
        state += readable.filter { $0.stateKey != nil && !shown.contains($0.eventID) }
        if filter.lazyLoadMembers {
            (state, lazySent) = try await lazyLoaded(
                state, roomID: roomID, timeline: timeline, startStream: startStream, endStream: upTo, fresh: fresh
            )
        }
        let prevBatch: RoomToken =
            recent.events.first.map { .topological(depth: $0.topologicalOrdering, stream: $0.streamOrdering) } ?? .stream(upTo)
        var room: JSONValue = [
            "timeline": [
                "events": .array(try await reader.format(timeline, in: roomID, viewer: viewer, includeRoomID: false, withPreviousState: true)),
                "limited": .bool(recent.limited),
                "prev_batch": .string(prevBatch.description),
            ],
            "state": ["events": .array(try await reader.format(state.sorted { $0.streamOrdering < $1.streamOrdering }, in: roomID, viewer: viewer, includeRoomID: false))],
        ]
        let membersChanged = (recent.events + state).contains { $0.type == EventType.member }
        if fresh || membersChanged { room["summary"] = try await summary(roomID) }
        return (room, lazySent)
    }

    /// `m.heroes` and member counts, which clients name unnamed rooms (direct chats) with. Sent when the room
    /// is new to the client or its members changed.
    private func summary(_ roomID: RoomID) async throws(RoomError) -> JSONValue {
        let joined = try await roomStoreCall { () async throws(RoomStoreError) in try await store.members(of: roomID, membership: Membership.join) }
        let invited = try await roomStoreCall { () async throws(RoomStoreError) in try await store.members(of: roomID, membership: Membership.invite) }
        let others = (joined + invited).filter { $0 != request.user }
        return [
            "m.heroes": .array(others.prefix(5).map { .string($0.rawValue) }),
            "m.joined_member_count": .integer(Int64(joined.count)),
            "m.invited_member_count": .integer(Int64(invited.count)),
        ]
    }

    /// Whether the user's join happened after `since` (a profile change is a join event too, but not a new join).
    private func joinedDuringRange(_ record: MembershipRecord, since: Int64?) async throws(RoomError) -> Bool {
        guard let since, record.streamOrdering > since else { return false }
        guard let previous = try await stateMap(record.roomID, atStream: since)[.member(request.user.rawValue)] else { return true }
        let event = try await roomStoreCall { () async throws(RoomStoreError) in try await store.events([previous]) }.first
        let membership = event.flatMap { try? JSONValue.parse($0.json) }?["content"]?["membership"]?.stringValue
        return membership != Membership.join
    }

    /// Lazy-loading: member events only for the timeline's senders (and the user), each sent once per device
    /// unless it changed (a changed one is in the state difference and is sent again). A room new to the client
    /// always carries the user's own membership, as Synapse sends it, even when it joined within the timeline.
    private func lazyLoaded(
        _ state: [RoomEvent], roomID: RoomID, timeline: [RoomEvent], startStream: Int64, endStream: Int64, fresh: Bool
    ) async throws(RoomError) -> (events: [RoomEvent], sent: Set<StateKey>) {
        let own = StateKey.member(request.user.rawValue)
        let senders = Set(timeline.map { StateKey.member($0.sender.rawValue) }).union([own])
        let unsent = lazyMembers.unsent(senders, user: request.user, device: request.deviceID, room: roomID)
        func memberKey(_ event: RoomEvent) -> StateKey? {
            event.type == EventType.member ? event.stateKey.map { StateKey.member($0) } : nil
        }
        var kept = state.filter { event in memberKey(event).map(senders.contains) ?? true }
        let present = Set(kept.compactMap(memberKey))
        let missing = unsent.subtracting(present)
        if !fresh, !missing.isEmpty {
            let ids = try await stateMap(roomID, atStream: startStream)
            let memberIDs = missing.compactMap { ids[$0] }
            kept += try await roomStoreCall { () async throws(RoomStoreError) in try await store.events(memberIDs) }
        }
        if fresh, !kept.contains(where: { memberKey($0) == own }),
            let membership = try await reader.membership(of: request.user, in: roomID, atStream: endStream)
        {
            kept.append(membership.event)
        }
        return (kept, unsent)
    }

    private func stateMap(_ roomID: RoomID, atStream stream: Int64) async throws(RoomError) -> [StateKey: EventID] {
        try await roomStoreCall { () async throws(RoomStoreError) in try await store.state(in: roomID, atStream: stream) } ?? [:]
    }

    private func stateEvents(_ roomID: RoomID, atStream stream: Int64) async throws(RoomError) -> [RoomEvent] {
        let ids = try await stateMap(roomID, atStream: stream)
        return try await roomStoreCall { () async throws(RoomStoreError) in try await store.events(Array(ids.values)) }
    }

    /// The stripped state an invitee sees: the room's identifying state plus the invite itself.
    private func strippedState(_ record: MembershipRecord) async throws(RoomError) -> [JSONValue] {
        let wanted: Set<String> = [
            EventType.create, EventType.joinRules, "m.room.name", "m.room.avatar", "m.room.canonical_alias", "m.room.encryption",
            "m.room.topic",
        ]
        let state = try await stateEvents(record.roomID, atStream: record.streamOrdering)
        return state.compactMap { event in
            guard (wanted.contains(event.type) && event.stateKey == "") || event.eventID == record.eventID,
                let json = try? JSONValue.parse(event.json)
            else { return nil }
            return [
                "type": .string(event.type), "state_key": .string(event.stateKey ?? ""), "sender": .string(event.sender.rawValue),
                "content": json["content"] ?? [:],
            ]
        }
    }

    /// `m.typing` and `m.receipt` events per joined room.
    private func ephemeralEvents(in rooms: Set<RoomID>) async throws(RoomError) -> [RoomID: [JSONValue]] {
        var result: [RoomID: [JSONValue]] = [:]
        let typingSince = isInitial ? -1 : since?.typing ?? -1
        let typingEpoch = isInitial ? -1 : since?.typingEpoch ?? -1
        for (room, users) in typing.typing(in: rooms, after: typingSince, epoch: typingEpoch) {
            result[room, default: []].append(["type": "m.typing", "content": ["user_ids": .array(users.map { .string($0.rawValue) })]])
        }
        let receiptsSince = isInitial ? nil : since?.receipts
        guard receiptsSince != upTo.receipts else { return result }
        let receiptContent = try await receipts.receipts(in: rooms, after: receiptsSince, upTo: upTo.receipts, viewer: request.user)
        for (room, content) in receiptContent {
            result[room, default: []].append(["type": "m.receipt", "content": content])
        }
        return result
    }

    private func accountDataChanges() async throws(RoomError) -> (global: [JSONValue], rooms: [RoomID: [JSONValue]]) {
        let accountDataSince = isInitial ? nil : since?.accountData
        guard accountDataSince != upTo.accountData else { return ([], [:]) }
        let entries = try await accountData.changes(of: request.user, after: accountDataSince, upTo: upTo.accountData)
        var global: [JSONValue] = []
        var rooms: [RoomID: [JSONValue]] = [:]
        for entry in entries {
            let event: JSONValue = ["type": .string(entry.type), "content": entry.content]
            if let room = entry.roomID { rooms[room, default: []].append(event) } else { global.append(event) }
        }
        return (global, rooms)
    }
}
