import MatrixCrypto
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
        /// A field shown only when it is a string, as the spec types them.
        func string(_ value: JSONValue?) -> JSONValue? { value?.stringValue != nil ? value : nil }
        var entry: JSONObject = ["room_id": .string(roomID.rawValue), "num_joined_members": .integer(joinedMembers)]
        entry["name"] = string(content("m.room.name")?["name"])
        entry["topic"] = string(content("m.room.topic")?["topic"])
        entry["avatar_url"] = string(content("m.room.avatar")?["url"])
        entry["canonical_alias"] = string(content("m.room.canonical_alias")?["alias"])
        entry["join_rule"] = string(content(EventType.joinRules)?["join_rule"])
        entry["world_readable"] = .bool(content("m.room.history_visibility")?["history_visibility"] == "world_readable")
        entry["guest_can_join"] = .bool(content("m.room.guest_access")?["guest_access"] == "can_join")
        // As Synapse lists it: the create event's `type`, left out for rooms without one.
        if let type = content(EventType.create)?["type"], type.stringValue != nil { entry["room_type"] = type }
        return entry
    }

    /// The content of the state event `type` with an empty state key, if `state` holds it; what its redaction left
    /// of it when it was redacted (by the rules of the room's version, from the create event; none when unknown).
    public static func content(_ type: String, in state: [StateKey: RoomEvent]) -> JSONValue? {
        guard let event = state[StateKey(type, "")], let json = try? JSONValue.parse(event.json) else { return nil }
        guard event.redactedBy != nil else { return json["content"] }
        let create = state[StateKey(EventType.create, "")].flatMap { try? JSONValue.parse($0.json) }
        guard let version = RoomVersion(identifier: create?["content"]?["room_version"]?.stringValue ?? "1"),
            let redacted = try? EventRedaction.redact(json, rules: version.redactionRules)
        else { return nil }
        return redacted["content"]
    }
}
