import MatrixTypes

/// The server rules of the spec's guest access module. Guests are a local notion the auth rules know nothing of, so
/// the writer applies these itself, against the snapshot it builds on: a guest's join and a change of
/// `m.room.guest_access` are ordered by the writer and cannot pass each other.
enum GuestAccessRules {
    static let guestAccess = StateKey("m.room.guest_access", "")

    /// A guest's membership event, marked `kind: guest` as Synapse marks it (which is how closing the room finds
    /// the guests later). A guest joins only rooms whose `m.room.guest_access` is `can_join`.
    static func prepare(_ intent: EventIntent, in snapshot: RoomSnapshot?) throws(RoomError) -> EventIntent {
        guard intent.byGuest, intent.stateKey != nil, intent.type.hasSameBytes(as: EventType.member) else { return intent }
        if intent.content["membership"]?.stringValue?.hasSameBytes(as: Membership.join) == true, !admitsGuests(snapshot) {
            throw .forbidden("Guest access not allowed")
        }
        var marked = intent
        marked.content["kind"] = "guest"
        return marked
    }

    /// When `event` closes the room to guests, every local guest still joined or invited leaves, each as its own
    /// sender (as Synapse's `kick_guest_users`), so no power level is needed. Ordered by user ID bytes.
    static func departures(after event: PDU, in snapshot: RoomSnapshot, serverName: ServerName) -> [EventIntent] {
        guard event.stateMapKey == guestAccess, !admitsGuests(snapshot) else { return [] }
        let guests = snapshot.state.values.compactMap { member -> UserID? in
            guard member.hasType(EventType.member), let stateKey = member.stateKey, let user = try? UserID(stateKey),
                user.serverName.rawValue.hasSameBytes(as: serverName.rawValue),
                member.content["kind"]?.stringValue?.hasSameBytes(as: "guest") == true,
                let membership = member.membership,
                membership.hasSameBytes(as: Membership.join) || membership.hasSameBytes(as: Membership.invite)
            else { return nil }
            return user
        }
        return guests.sorted { Array($0.rawValue.utf8).lexicographicallyPrecedes(Array($1.rawValue.utf8)) }.map { guest in
            EventIntent(sender: guest, type: EventType.member, stateKey: guest.rawValue, content: ["membership": .string(Membership.leave)], byGuest: true)
        }
    }

    private static func admitsGuests(_ snapshot: RoomSnapshot?) -> Bool {
        snapshot?.state[guestAccess]?.content["guest_access"]?.stringValue?.hasSameBytes(as: "can_join") == true
    }
}
