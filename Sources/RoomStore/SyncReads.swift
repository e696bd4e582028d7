public import MatrixTypes

// What `/sync` and the event stream read of rooms, cut to that consumer (as Dendrite's per-consumer API interfaces):
// a process that serves sync without writing rooms implements the same reads over the shared database. `RoomStore`
// implements all three.

/// Events by stream position: timelines, history pages, which rooms moved.
public protocol TimelineReads: Sendable {
    /// The highest stream ordering any writer has been given: a sync token beyond it is from the future.
    func maxAllocated() async throws(RoomStoreError) -> Int64
    /// The newest `limit` visible events of `roomID` with stream ordering in `(after, upTo]`, oldest first, and
    /// whether older ones in that range were left out.
    func recentEvents(in roomID: RoomID, after: Int64?, upTo: Int64, limit: Int) async throws(RoomStoreError)
        -> (events: [RoomEvent], limited: Bool)
    /// One page of `roomID`'s history in `direction` from `from`, never passing `to`, in paging order.
    func history(
        in roomID: RoomID, from: HistoryBound, to: HistoryBound?, direction: HistoryDirection, limit: Int
    ) async throws(RoomStoreError) -> [RoomEvent]
    /// The stored events among `ids`, in no particular order; unknown IDs are left out.
    func events(_ ids: some Collection<EventID>) async throws(RoomStoreError) -> [RoomEvent]
    /// One stored event whatever its status (an invite to a room held elsewhere is an outlier).
    func event(_ eventID: EventID) async throws(RoomStoreError) -> StoredEvent?
    /// Those of `rooms` that gained visible events with stream ordering in `(after, upTo]`.
    func roomsWithEvents(among rooms: Set<RoomID>, after: Int64, upTo: Int64) async throws(RoomStoreError) -> Set<RoomID>
    /// The newest event of `roomID` at or below `upTo` with state recorded.
    func lastEventID(in roomID: RoomID, upTo: Int64) async throws(RoomStoreError) -> EventID?
}

/// Room state at a stream position, after an event, or in a few slots.
public protocol RoomStateReads: Sendable {
    /// The room's state once every event up to stream ordering `upTo` is applied, or `nil` before the room existed.
    func state(in roomID: RoomID, atStream upTo: Int64) async throws(RoomStoreError) -> [StateKey: EventID]?
    /// The room's state after `eventID`, or `nil` when no state is recorded for it.
    func state(after eventID: EventID) async throws(RoomStoreError) -> [StateKey: EventID]?
    /// The events filling `keys` in the state after each of `events` (one room's) and just before the oldest.
    func slots(_ keys: [StateKey], at events: [RoomEvent]) async throws(RoomStoreError) -> StateSlots
    /// The events filling `keys` in the current state of each of `rooms`.
    func currentSlots(_ keys: [StateKey], in rooms: [RoomID]) async throws(RoomStoreError) -> [RoomID: [StateKey: RoomEvent]]
    /// `roomID`'s current member counts and first members.
    func memberSummary(of roomID: RoomID) async throws(RoomStoreError) -> MemberSummary
}

/// A user's memberships.
public protocol MembershipReads: Sendable {
    /// Every room `user` has a membership in, with that membership and the stream ordering of the event that set it.
    func memberships(of user: UserID) async throws(RoomStoreError) -> [MembershipRecord]
}

extension RoomStore: TimelineReads, RoomStateReads, MembershipReads {}
