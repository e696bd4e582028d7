public import MatrixTypes
import Storage

/// A room's member counts and its first members, which `/sync` names unnamed rooms (direct chats) with.
public struct MemberSummary: Sendable {
    public struct Member: Sendable {
        public var userID: UserID
        public var membership: String
        /// The event that set the current membership.
        public var eventID: EventID
    }

    public var joinedCount: Int
    public var invitedCount: Int
    /// The first members by the stream ordering of their current member event: joined ones, then invited, then
    /// those who left, then the rest. Never more than `MemberSummary.candidates`.
    public var first: [Member]

    /// Five heroes plus one, in case the syncing user is among them.
    public static let candidates = 6
}

extension RoomStore {
    /// `roomID`'s current member counts and first members, read by counting and one bounded page instead of
    /// loading every member.
    public func memberSummary(of roomID: RoomID) async throws(RoomStoreError) -> MemberSummary {
        let (counts, rows) = try await read { connection throws(StorageError) -> ([String: Int64], [Row]) in
            guard let room = try self.roomNID(roomID, in: connection) else { return ([:], []) }
            return (
                try RoomMembershipsTable.counts(roomNID: room, in: connection),
                try RoomMembershipsTable.first(MemberSummary.candidates, roomNID: room, in: connection)
            )
        }
        var first: [MemberSummary.Member] = []
        for row in rows {
            let raw = try RoomStoreError.catchingNow {
                (user: try row.decode("user_id", as: String.self), membership: try row.decode("membership", as: String.self),
                 event: try row.decode("event_id", as: String.self))
            }
            first.append(.init(userID: try parseStored(raw.user), membership: raw.membership, eventID: try parseStored(raw.event)))
        }
        return MemberSummary(
            joinedCount: Int(counts[Membership.join] ?? 0), invitedCount: Int(counts[Membership.invite] ?? 0), first: first
        )
    }

    /// The newest event of `roomID` at or below stream ordering `upTo` with state recorded: the event a timeline
    /// continuing from `upTo` must point back to for the history to be linear.
    public func lastEventID(in roomID: RoomID, upTo: Int64) async throws(RoomStoreError) -> EventID? {
        if upTo <= persistedUpTo, let known = recentTimelines.lastEventID(in: roomID, upTo: upTo) { return known }
        let id = try await read { connection throws(StorageError) -> String? in
            guard let room = try self.roomNID(roomID, in: connection) else { return nil }
            return try TimelineQueries.lastEventID(roomNID: room, upTo: upTo, in: connection)
        }
        return try id.map { raw throws(RoomStoreError) in try parseStored(raw) }
    }
}
