import MatrixTypes
import RoomStore

/// Which events of a room a member may read: `m.room.history_visibility` and the reader's membership as they
/// stood at each event, not as they stand now (spec, "History visibility"; Synapse's `filter_events_for_client`).
///
/// Readers reaching this are joined, or left after having joined, so `shared` history is theirs, unless they are
/// peeking (reading a `world_readable` room from outside it), when only `world_readable` history and what they saw
/// as members is; how far after a leave they may read is decided before (`RoomReader.access`).
enum HistoryVisibility: Int, Comparable {
    // Least restrictive first.
    case worldReadable, shared, invited, joined

    static let eventType = "m.room.history_visibility"

    /// The state slots the check reads at each event.
    static func slots(for viewer: UserID) -> [StateKey] {
        [StateKey(eventType, ""), .member(viewer.rawValue)]
    }

    /// The events of `events` — a run of consecutive events of one room's timeline, in any order — that `viewer`
    /// may read, in their original order.
    static func visible(_ events: [RoomEvent], to viewer: UserID, slots: StateSlots, peeking: Bool) -> [RoomEvent] {
        let visibilityKey = StateKey(eventType, "")
        let memberKey = StateKey.member(viewer.rawValue)
        var before = slots.beforeOldest
        var allowed = Set<EventID>()
        for event in events.sorted(by: { $0.streamOrdering < $1.streamOrdering }) {
            guard let after = slots.after[event.eventID] else { continue }
            defer { before = after }
            var setting = Self.setting(after[visibilityKey])
            if event.type.hasSameBytes(as: eventType), event.stateKey?.isEmpty == true {
                // The change itself is shown to whoever could see either side of it.
                setting = min(setting, Self.setting(before[visibilityKey]))
            }
            if setting == .worldReadable || (setting == .shared && !peeking) {
                allowed.insert(event.eventID)
                continue
            }
            var membership = Self.rank(after[memberKey])
            if event.type.hasSameBytes(as: EventType.member), event.stateKey?.hasSameBytes(as: viewer.rawValue) == true {
                // The reader's own membership change is judged by the more joined side, and leaving after a join or
                // invite is always shown so the room can be seen to go.
                let previous = Self.rank(before[memberKey])
                if membership == .leave, previous <= .invite {
                    allowed.insert(event.eventID)
                    continue
                }
                membership = min(membership, previous)
            }
            if membership == .join || (setting == .invited && membership == .invite) { allowed.insert(event.eventID) }
        }
        return events.filter { allowed.contains($0.eventID) }
    }

    /// Whether `viewer` may read the room's state as it stood in `state` (the slots after one event): as a member
    /// then, as an invitee under `invited` or looser, or under `shared` when joined now, or `world_readable`.
    static func mayReadState(_ state: [StateKey: RoomEvent], viewer: UserID, joinedNow: Bool) -> Bool {
        let membership = rank(state[.member(viewer.rawValue)])
        if membership == .join { return true }
        switch setting(state[StateKey(eventType, "")]) {
        case .joined: return false
        case .invited: return membership == .invite
        case .shared: return membership == .invite || joinedNow
        case .worldReadable: return true
        }
    }

    /// The setting a `m.room.history_visibility` event holds; `shared` when absent or unknown, as the spec says.
    static func setting(_ event: RoomEvent?) -> HistoryVisibility {
        let value = event.flatMap { try? JSONValue.parse($0.json) }?["content"]?["history_visibility"]?.stringValue ?? ""
        for (name, setting) in [("world_readable", worldReadable), ("shared", shared), ("invited", invited), ("joined", joined)]
        where value.hasSameBytes(as: name) {
            return setting
        }
        return .shared
    }

    /// Memberships from most to least joined, as Synapse ranks them.
    enum MembershipRank: Int, Comparable {
        case join, invite, knock, leave, ban

        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    static func rank(_ event: RoomEvent?) -> MembershipRank {
        let value = event.flatMap { try? JSONValue.parse($0.json) }?["content"]?["membership"]?.stringValue ?? ""
        for (name, rank) in [
            (Membership.join, MembershipRank.join), (Membership.invite, .invite), (Membership.knock, .knock), (Membership.ban, .ban),
        ] where value.hasSameBytes(as: name) {
            return rank
        }
        return .leave
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
