import MatrixTypes
import Replication
import Rooms
import RoomStore
import Storage

/// Which rooms gained events in a range of the events stream, for `/sync` and the event stream: from the notifier's
/// memory when it covers the range, else from the database, one indexed probe per room however old the token (never
/// a scan of every room's events), each writer's rooms over that writer's range.
enum ChangedRooms {
    static func among(
        _ rooms: Set<RoomID>, after: EventPositions, upTo: EventPositions, notifier: Notifier, timeline: any TimelineReads
    ) async throws(RoomError) -> Set<RoomID> {
        if let remembered = notifier.roomsWithEvents(after: after, among: rooms) { return remembered }
        var changed: Set<RoomID> = []
        for (writer, group) in Dictionary(grouping: rooms, by: { notifier.ownership.index(of: $0) }) {
            let from = after.position(ofWriter: writer)
            let to = upTo.position(ofWriter: writer)
            changed.formUnion(try await RoomError.catching { try await timeline.roomsWithEvents(among: Set(group), after: from, upTo: to) })
        }
        return changed
    }
}
