public import RoomStore
import MatrixTypes

extension EventFilter {
    /// The part of `state` to send along with `events`: all of it, or under `lazy_load_members` every state event
    /// but memberships, and only the memberships of the events' senders (Synapse's
    /// `StateFilter.from_lazy_load_member_list`).
    public func lazilyLoaded(_ state: [RoomEvent], for events: [RoomEvent]) -> [RoomEvent] {
        guard lazyLoadMembers else { return state }
        let senders = Set(events.map { JSONKey($0.sender.rawValue) })
        return state.filter { event in
            guard event.type.hasSameBytes(as: EventType.member), let stateKey = event.stateKey else { return true }
            return senders.contains(JSONKey(stateKey))
        }
    }
}
