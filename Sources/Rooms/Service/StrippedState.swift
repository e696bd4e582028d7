public import MatrixTypes

/// The state an invitee sees of a room before joining it (`invite_state` in sync, `invite_room_state` over
/// federation): the room's identifying events, reduced to type, state key, sender and content.
public enum StrippedState {
    /// The state types shown, as Synapse's default `room_prejoin_state`.
    public static let types: Set<String> = [
        EventType.create, EventType.joinRules, "m.room.name", "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic",
    ]

    public static func entry(type: String, stateKey: String, sender: UserID, content: JSONValue) -> JSONValue {
        ["type": .string(type), "state_key": .string(stateKey), "sender": .string(sender.rawValue), "content": content]
    }
}
