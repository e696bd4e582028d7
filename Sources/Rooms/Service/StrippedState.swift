public import MatrixTypes

/// The state an invitee sees of a room before joining it (`invite_state` in sync, `invite_room_state` over
/// federation): the room's identifying events, reduced to type, state key, sender and content.
public enum StrippedState {
    /// The state types shown, as Synapse's default `room_prejoin_state`.
    public static let types: Set<String> = [
        EventType.create, EventType.joinRules, "m.room.name", "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic",
    ]

    /// The entries for those of `events` shown (and `member`'s own membership event, when given), by type.
    public static func entries(of events: some Sequence<PDU>, member: UserID? = nil) -> [JSONValue] {
        events.filter { event in
            (types.contains(event.type) && event.stateKey == "")
                || (member.map { event.hasType(EventType.member) && event.stateKey?.hasSameBytes(as: $0.rawValue) == true } ?? false)
        }
        .sorted { $0.type < $1.type }
        .map { entry(type: $0.type, stateKey: $0.stateKey ?? "", sender: $0.sender, content: $0.content) }
    }

    public static func entry(type: String, stateKey: String, sender: UserID, content: JSONValue) -> JSONValue {
        ["type": .string(type), "state_key": .string(stateKey), "sender": .string(sender.rawValue), "content": content]
    }
}
