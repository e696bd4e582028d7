import Accounts
import MatrixTypes
import RoomStore
import Storage

extension RoomReader {
    /// Marks the events of `events` whose sender deactivated with `erase: true` and that `viewer` was not joined
    /// for, so they are shown redacted (Synapse's `filter_events_for_client` with `is_sender_erased`): people who
    /// join afterwards no longer read an erased user's messages, while those who were there keep them. Events from
    /// `joinedAt` on were sent while the viewer was joined and are not checked, so a joined reader's sync usually
    /// costs nothing; otherwise one read for the senders and, only when one is erased, one for the viewer's
    /// membership at those events (and one more for each of those that changed the viewer's own membership).
    func markingErasedSenders(_ events: [RoomEvent], viewer: UserID, joinedAt: Int64?) async throws(RoomError) -> [RoomEvent] {
        let checked = events.filter { event in joinedAt.map { event.streamOrdering < $0 } ?? true }
        guard !checked.isEmpty else { return events }
        let erased = try await RoomError.catching { try await erasedUsers.among(Set(checked.map(\.sender))) }
        let suspects = checked.filter { erased.contains($0.sender) }
        guard !suspects.isEmpty else { return events }
        let memberKey = StateKey.member(viewer.rawValue)
        let slots = try await RoomError.catching { try await store.slots([memberKey], at: suspects) }
        var hidden = Set<EventID>()
        for event in suspects {
            let rank = HistoryVisibility.rank(slots.after[event.eventID]?[memberKey])
            guard rank != .join else { continue }
            // As Synapse judges the viewer's own membership change: by the more joined side (a member's ban counts as
            // joined), except that leaving (a kick) never does.
            let own = event.type.hasSameBytes(as: EventType.member) && event.stateKey?.hasSameBytes(as: viewer.rawValue) == true
            if own, rank != .leave,
                try await membership(of: viewer, in: event.roomID, atStream: event.streamOrdering - 1)?.membership == Membership.join
            {
                continue
            }
            hidden.insert(event.eventID)
        }
        return events.map { event in
            var shown = event
            shown.erasedForReader = hidden.contains(event.eventID)
            return shown
        }
    }
}
