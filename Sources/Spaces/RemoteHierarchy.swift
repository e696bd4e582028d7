import MatrixTypes

/// Another server's hierarchy answer, reduced to what matches the spec's shape: the room (its `room_id` the one
/// asked for, the required fields of the right types; only known fields kept), its valid `children_state`, the
/// summaries of children it holds that are well formed, and the room IDs it says are inaccessible. A room that does
/// not match refuses the answer; a child, summary or ID that does not is left out.
struct RemoteHierarchy: Sendable {
    let room: JSONObject
    let children: [SpaceChild]
    let childSummaries: [RoomID: JSONObject]
    let inaccessible: Set<RoomID>

    /// Children, child summaries and inaccessible IDs kept at most from one answer.
    static let maxEntries = LocalSpaceRooms.maxChildren

    init?(answer: JSONValue, roomID: RoomID) {
        guard let room = answer["room"].flatMap(Self.summary), room["room_id"]?.stringValue?.hasSameBytes(as: roomID.rawValue) == true else {
            return nil
        }
        self.room = room
        children = (answer["room"]?["children_state"]?.arrayValue ?? []).prefix(Self.maxEntries).compactMap(SpaceChild.init(event:))
            .sorted(by: SpaceChild.precedes)
        var summaries: [RoomID: JSONObject] = [:]
        for child in (answer["children"]?.arrayValue ?? []).prefix(Self.maxEntries) {
            guard let summary = Self.summary(child), let id = summary["room_id"]?.stringValue.flatMap({ try? RoomID($0) }) else { continue }
            summaries[id] = summary
        }
        childSummaries = summaries
        inaccessible = Set((answer["inaccessible_children"]?.arrayValue ?? []).prefix(Self.maxEntries).compactMap { $0.stringValue.flatMap { try? RoomID($0) } })
    }

    static let optionalStrings = ["name", "topic", "canonical_alias", "avatar_url", "join_rule", "room_type", "room_version", "encryption"]

    /// A room summary with the spec's required fields (`room_id`, `num_joined_members`, `world_readable`,
    /// `guest_can_join`) of the right types, and those optional fields that are strings (`allowed_room_ids`: the
    /// room IDs among its entries); `nil` when a required field is wrong or the join rule is not a string.
    static func summary(_ value: JSONValue) -> JSONObject? {
        guard let id = value["room_id"]?.stringValue, (try? RoomID(id)) != nil, let members = value["num_joined_members"]?.integerValue,
            members >= 0, let worldReadable = value["world_readable"]?.boolValue, let guests = value["guest_can_join"]?.boolValue,
            // A join rule that is not a string must not read as absent (which counts as public).
            value["join_rule"].map({ $0.stringValue != nil }) ?? true
        else { return nil }
        var summary: JSONObject = [
            "room_id": .string(id), "num_joined_members": .integer(members), "world_readable": .bool(worldReadable), "guest_can_join": .bool(guests),
        ]
        for key in optionalStrings {
            if let text = value[key]?.stringValue { summary[key] = .string(text) }
        }
        if let allowed = value["allowed_room_ids"]?.arrayValue {
            let ids = allowed.prefix(maxEntries).compactMap { $0.stringValue.flatMap { try? RoomID($0) } }
            summary["allowed_room_ids"] = .array(ids.map { .string($0.rawValue) })
        }
        return summary
    }
}
