public import MatrixTypes
import Storage

extension RoomStore {
    /// The newest `limit` visible events of `roomID` with stream ordering in `(after, upTo]`, oldest first, and
    /// whether older ones in that range were left out. From memory when this store wrote them and `upTo` is
    /// persisted (every event up to there recorded).
    public func recentEvents(in roomID: RoomID, after: Int64?, upTo: Int64, limit: Int) async throws(RoomStoreError)
        -> (events: [RoomEvent], limited: Bool)
    {
        if upTo <= persistedUpTo, let recent = recentTimelines.recent(in: roomID, after: after, upTo: upTo, limit: limit) {
            return recent
        }
        let rows = try await read { connection throws(StorageError) -> [Row] in
            guard let room = try self.roomNID(roomID, in: connection) else { return [] }
            return try TimelineQueries.recent(roomNID: room, after: after, upTo: upTo, limit: limit + 1, in: connection)
        }
        let events = try rows.map(TimelineQueries.decode)
        return events.count > limit ? (Array(events.dropFirst()), true) : (events, false)
    }

    /// One page of `roomID`'s history in `direction` from `from`, never passing `to`, in paging order.
    public func history(
        in roomID: RoomID, from: HistoryBound, to: HistoryBound?, direction: HistoryDirection, limit: Int
    ) async throws(RoomStoreError) -> [RoomEvent] {
        let rows = try await read { connection throws(StorageError) -> [Row] in
            guard let room = try self.roomNID(roomID, in: connection) else { return [] }
            return try TimelineQueries.page(roomNID: room, from: from, to: to, direction: direction, limit: limit, in: connection)
        }
        return try rows.map(TimelineQueries.decode)
    }

    /// `user`'s membership events in `roomID`, newest first.
    public func memberEvents(of user: UserID, in roomID: RoomID) async throws(RoomStoreError) -> [RoomEvent] {
        let rows = try await read { connection throws(StorageError) -> [Row] in
            guard let room = try self.roomNID(roomID, in: connection) else { return [] }
            return try TimelineQueries.memberEvents(roomNID: room, userID: user.rawValue, in: connection)
        }
        return try rows.map(TimelineQueries.decode)
    }

    /// The stored events among `ids`, in no particular order; unknown IDs are left out.
    public func events(_ ids: some Collection<EventID>) async throws(RoomStoreError) -> [RoomEvent] {
        let raw = ids.map(\.rawValue)
        let rows = try await read { connection throws(StorageError) in try TimelineQueries.events(raw, in: connection) }
        return try rows.map(TimelineQueries.decode)
    }

    /// One stored event as clients see it, or `nil` when unknown, an outlier, rejected or soft-failed.
    public func visibleEvent(_ id: EventID) async throws(RoomStoreError) -> RoomEvent? {
        try await events([id]).first
    }

    /// Those of `rooms` that gained visible events with stream ordering in `(after, upTo]`, probing each room's
    /// events by index (an old `since` does not read the events since it).
    public func roomsWithEvents(among rooms: Set<RoomID>, after: Int64, upTo: Int64) async throws(RoomStoreError) -> Set<RoomID> {
        guard !rooms.isEmpty, upTo > after else { return [] }
        let raw = rooms.map(\.rawValue)
        let ids = try await read { connection throws(StorageError) in
            try TimelineQueries.roomsWithEvents(among: raw, after: after, upTo: upTo, in: connection)
        }
        return Set(try ids.map { id throws(RoomStoreError) in try parseStored(id) })
    }

    /// The room's state once every event up to stream ordering `upTo` is applied, or `nil` before the room existed.
    public func state(in roomID: RoomID, atStream upTo: Int64) async throws(RoomStoreError) -> [StateKey: EventID]? {
        let entries = try await read { connection throws(StorageError) -> [StateGroupEntry]? in
            guard let room = try self.roomNID(roomID, in: connection),
                let group = try TimelineQueries.stateGroup(roomNID: room, upTo: upTo, in: connection)
            else { return nil }
            return try StateGroupsTable.resolve(group, in: connection)
        }
        return try entries.map(stateMap)
    }

    /// Forgets `user`'s current membership of `roomID`; `false` when the user never had one.
    public func forget(_ roomID: RoomID, user: UserID) async throws(RoomStoreError) -> Bool {
        try await RoomStoreError.catching {
            try await database.write { transaction in
                guard let room = try RoomIDsTable.find(roomID, in: transaction) else { return false }
                return try RoomMembershipsTable.forget(userID: user.rawValue, roomNID: room, in: transaction)
            }
        }
    }

    /// Every room `user` has a membership in, with that membership and the stream ordering of the event that set it.
    public func memberships(of user: UserID) async throws(RoomStoreError) -> [MembershipRecord] {
        try await memberships(of: user, roomID: nil)
    }

    /// `user`'s current membership of `roomID` and where it took effect, or `nil` if never a member.
    public func membershipRecord(of user: UserID, in roomID: RoomID) async throws(RoomStoreError) -> MembershipRecord? {
        try await memberships(of: user, roomID: roomID).first
    }

    private func memberships(of user: UserID, roomID: RoomID?) async throws(RoomStoreError) -> [MembershipRecord] {
        let rows = try await read { connection throws(StorageError) in
            try RoomMembershipsTable.all(userID: user.rawValue, roomID: roomID?.rawValue, in: connection)
        }
        return try rows.map { row throws(RoomStoreError) in
            let raw = try RoomStoreError.catchingNow {
                (room: try row.decode("room_id", as: String.self), membership: try row.decode("membership", as: String.self),
                 event: try row.decode("event_id", as: String.self), stream: try row.decode("stream_ordering", as: Int64.self),
                 forgotten: try row.decode("forgotten", as: Int64?.self) != nil)
            }
            return MembershipRecord(
                userID: user, roomID: try parseStored(raw.room), membership: raw.membership, eventID: try parseStored(raw.event),
                streamOrdering: raw.stream, forgotten: raw.forgotten
            )
        }
    }
}

/// A user's current membership of one room and where it took effect.
public struct MembershipRecord: Sendable, Hashable {
    public var userID: UserID
    public var roomID: RoomID
    public var membership: String
    public var eventID: EventID
    public var streamOrdering: Int64
    /// The user forgot the room after this membership (a leave or ban); sync leaves it out.
    public var forgotten: Bool

    public init(userID: UserID, roomID: RoomID, membership: String, eventID: EventID, streamOrdering: Int64, forgotten: Bool) {
        self.userID = userID
        self.roomID = roomID
        self.membership = membership
        self.eventID = eventID
        self.streamOrdering = streamOrdering
        self.forgotten = forgotten
    }
}

/// Builds the state map from resolved state-group entries.
func stateMap(_ entries: [StateGroupEntry]) throws(RoomStoreError) -> [StateKey: EventID] {
    var state: [StateKey: EventID] = [:]
    state.reserveCapacity(entries.count)
    for entry in entries {
        state[StateKey(entry.type, entry.stateKey)] = try parseStored(entry.eventID)
    }
    return state
}
