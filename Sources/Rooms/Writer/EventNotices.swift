import MatrixTypes
public import Replication
public import RoomStore

/// What the `events` stream announces about an event: its room, and the user a membership event is about (an
/// invitee is not yet in the room, so only this reaches them).
public enum EventNotices {
    static func notice(roomID: RoomID, ordering: Int64, memberTarget: String?) -> StreamNotice {
        let users = memberTarget.flatMap { try? UserID($0) }.map { [$0] } ?? []
        return StreamNotice(stream: .events, position: ordering, roomID: roomID, users: users)
    }

    /// The notices of the events in `(after, upTo]`, read again from the store for a process that missed them.
    public static func read(from store: RoomStore, after: Int64, upTo: Int64) async throws(RoomStoreError) -> [StreamNotice] {
        try await CatchUpPages.notices(
            after: after,
            page: { from throws(RoomStoreError) in try await store.writtenEvents(after: from, upTo: upTo, limit: CatchUpPages.pageSize) },
            position: \.streamOrdering,
            notice: { event in
                notice(
                    roomID: event.roomID, ordering: event.streamOrdering,
                    memberTarget: event.type.hasSameBytes(as: EventType.member) ? event.stateKey : nil
                )
            }
        )
    }
}
