public import MatrixTypes
public import RoomStore

/// How a room presents itself to those outside it, from a few of its current state events: the public room
/// directory's chunks and the space hierarchy's rooms share these fields.
public enum RoomSummary {
    /// The state slots the fields come from.
    public static let slots: [StateKey] = [
        "m.room.name", "m.room.topic", "m.room.avatar", "m.room.canonical_alias", EventType.joinRules, "m.room.history_visibility",
        "m.room.guest_access", EventType.create,
    ].map { StateKey($0, "") }

    /// `room_id`, `num_joined_members`, `name`, `topic`, `avatar_url`, `canonical_alias`, `join_rule`,
    /// `world_readable`, `guest_can_join` and, for rooms whose create event has one, `room_type`.
    public static func entry(roomID: RoomID, joinedMembers: Int64, state: [StateKey: RoomEvent]) -> JSONObject {
        func content(_ type: String) -> JSONValue? { Self.content(type, in: state) }
        var entry: JSONObject = ["room_id": .string(roomID.rawValue), "num_joined_members": .integer(joinedMembers)]
        entry["name"] = content("m.room.name")?["name"]
        entry["topic"] = content("m.room.topic")?["topic"]
        entry["avatar_url"] = content("m.room.avatar")?["url"]
        entry["canonical_alias"] = content("m.room.canonical_alias")?["alias"]
        entry["join_rule"] = content(EventType.joinRules)?["join_rule"]
        entry["world_readable"] = .bool(content("m.room.history_visibility")?["history_visibility"] == "world_readable")
        entry["guest_can_join"] = .bool(content("m.room.guest_access")?["guest_access"] == "can_join")
        // As Synapse lists it: the create event's `type`, left out for rooms without one.
        if let type = content(EventType.create)?["type"], type.stringValue != nil { entry["room_type"] = type }
        return entry
    }

    /// The content of the state event `type` with an empty state key, if `state` holds it.
    public static func content(_ type: String, in state: [StateKey: RoomEvent]) -> JSONValue? {
        state[StateKey(type, "")].flatMap { try? JSONValue.parse($0.json) }?["content"]
    }
}
