import MatrixTypes

/// The `POST /createRoom` body, checked.
public struct RoomCreationRequest: Sendable {
    public var preset: String?
    public var visibility: String
    public var name: String?
    public var topic: String?
    public var aliasName: String?
    public var invite: [UserID]
    public var initialState: [(type: String, stateKey: String, content: JSONValue)]
    public var powerLevelOverride: JSONValue?
    public var creationContent: JSONValue?
    public var isDirect: Bool
    public var roomVersion: String?

    /// The most users one request may invite. Each invite is an event written with the room, in one transaction;
    /// Synapse caps the list by the creator's `rc_invites.per_room` allowance, checked on top of this.
    public static let maximumInvites = 100
    /// The most `initial_state` events one request may ask for; they are written with the room, in one transaction.
    public static let maximumInitialState = 256

    /// Reads the request body, refusing wrong shapes with the field at fault.
    public init(body: JSONValue) throws(RoomError) {
        func string(_ key: String) throws(RoomError) -> String? {
            guard let value = body[key], value != .null else { return nil }
            guard let text = value.stringValue else { throw .badRequest("'\(key)' must be a string") }
            return text
        }
        preset = try string("preset")
        if let preset, !["private_chat", "public_chat", "trusted_private_chat"].contains(preset) {
            throw .badRequest("Unknown preset '\(preset)'")
        }
        visibility = try string("visibility") ?? "private"
        guard ["public", "private"].contains(visibility) else { throw .badRequest("'visibility' must be public or private") }
        name = try string("name")
        topic = try string("topic")
        aliasName = try string("room_alias_name")
        roomVersion = try string("room_version")
        invite = []
        if let list = body["invite"], list != .null {
            guard let entries = list.arrayValue else { throw .badRequest("'invite' must be an array of user IDs") }
            guard entries.count <= Self.maximumInvites else { throw .badRequest("At most \(Self.maximumInvites) users may be invited at once") }
            for entry in entries {
                guard let text = entry.stringValue, let user = try? UserID(text) else {
                    throw .badRequest("'invite' must be an array of user IDs")
                }
                invite.append(user)
            }
        }
        initialState = []
        if let list = body["initial_state"], list != .null {
            guard let entries = list.arrayValue else { throw .badRequest("'initial_state' must be an array") }
            guard entries.count <= Self.maximumInitialState else {
                throw .badRequest("'initial_state' may hold at most \(Self.maximumInitialState) events")
            }
            for entry in entries {
                guard let type = entry["type"]?.stringValue, case .object = entry["content"] ?? .null else {
                    throw .badRequest("'initial_state' entries need a string 'type' and an object 'content'")
                }
                let stateKey = entry["state_key"]?.stringValue ?? ""
                guard !type.utf8.contains(0), !stateKey.utf8.contains(0) else {
                    throw .badRequest("'initial_state' types and state keys cannot hold NUL")
                }
                initialState.append((type, stateKey, entry["content"]!))
            }
        }
        for key in ["power_level_content_override", "creation_content"] {
            if let value = body[key], value != .null, value.objectValue == nil { throw .badRequest("'\(key)' must be an object") }
        }
        powerLevelOverride = body["power_level_content_override"].flatMap { $0 == .null ? nil : $0 }
        creationContent = body["creation_content"].flatMap { $0 == .null ? nil : $0 }
        if let direct = body["is_direct"], direct != .null {
            guard case .bool(let value) = direct else { throw .badRequest("'is_direct' must be a boolean") }
            isDirect = value
        } else {
            isDirect = false
        }
    }
}

/// The events a new room starts with, in Synapse's order: create, the creator's join, power levels, alias, the
/// preset's rules, `initial_state`, name, topic, then invites.
struct RoomCreationPlan {
    let request: RoomCreationRequest
    let creator: UserID
    let version: RoomVersion
    let creatorMember: JSONValue
    let canonicalAlias: RoomAlias?
    /// Invitees whose invites are sent after the room is written (other servers' users, whose server must
    /// countersign theirs); the others are invited in the room's first events.
    var invitedLater: Set<UserID> = []

    func intents() throws(RoomError) -> [EventIntent] {
        let preset = request.preset ?? (request.visibility == "public" ? "public_chat" : "private_chat")
        let trusted = preset == "trusted_private_chat"
        let v12Creators = version.roomIDFormat == .createEventHash
        var createContent = request.creationContent ?? [:]
        createContent["room_version"] = .string(version.identifier)
        if !version.authRules.usesCreateEventSenderAsCreator { createContent["creator"] = .string(creator.rawValue) }
        if v12Creators {
            let additional = additionalCreators(trusted: trusted)
            if !additional.isEmpty { createContent["additional_creators"] = .array(additional.map(JSONValue.string)) }
        }
        var intents = [
            state(EventType.create, "", createContent),
            state(EventType.member, creator.rawValue, creatorMember),
            state(EventType.powerLevels, "", try powerLevels(preset: preset, v12Creators: v12Creators)),
        ]
        if let canonicalAlias { intents.append(state("m.room.canonical_alias", "", ["alias": .string(canonicalAlias.rawValue)])) }
        let joinRule = preset == "public_chat" ? JoinRule.public : JoinRule.invite
        let overridden = Set(request.initialState.map { StateKey($0.type, $0.stateKey) })
        let defaults: [(String, JSONValue)] = [
            (EventType.joinRules, ["join_rule": .string(joinRule)]),
            ("m.room.history_visibility", ["history_visibility": "shared"]),
        ]
        for (type, content) in defaults where !overridden.contains(StateKey(type, "")) {
            intents.append(state(type, "", content))
        }
        if preset != "public_chat", !overridden.contains(StateKey("m.room.guest_access", "")) {
            intents.append(state("m.room.guest_access", "", ["guest_access": "can_join"]))
        }
        for entry in request.initialState where entry.type != EventType.create && entry.type != EventType.member {
            intents.append(state(entry.type, entry.stateKey, entry.content))
        }
        if let name = request.name { intents.append(state("m.room.name", "", ["name": .string(name)])) }
        if let topic = request.topic { intents.append(state("m.room.topic", "", ["topic": .string(topic)])) }
        for invitee in request.invite where !invitedLater.contains(invitee) {
            intents.append(state(EventType.member, invitee.rawValue, inviteContent))
        }
        return intents
    }

    /// An invite's content (`is_direct` for a direct chat).
    var inviteContent: JSONValue {
        var content: JSONValue = ["membership": .string(Membership.invite)]
        if request.isDirect { content["is_direct"] = true }
        return content
    }

    /// `creation_content.additional_creators` plus, for `trusted_private_chat`, the invitees, without repeats.
    private func additionalCreators(trusted: Bool) -> [String] {
        var creators = request.creationContent?["additional_creators"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if trusted { creators += request.invite.map(\.rawValue) }
        var seen: Set<JSONKey> = []
        return creators.filter { seen.insert(JSONKey($0)).inserted }
    }

    private func state(_ type: String, _ stateKey: String, _ content: JSONValue) -> EventIntent {
        EventIntent(sender: creator, type: type, stateKey: stateKey, content: content)
    }

    /// Synapse's defaults, then the request's override merged over the top-level keys.
    private func powerLevels(preset: String, v12Creators: Bool) throws(RoomError) -> JSONValue {
        let trusted = preset == "trusted_private_chat"
        var users: JSONObject = v12Creators ? [:] : [creator.rawValue: 100]
        if trusted, !v12Creators {
            for invitee in request.invite { users[invitee.rawValue] = 100 }
        }
        var content: JSONObject = [
            "users": .object(users), "users_default": 0,
            "events": [
                "m.room.name": 50, "m.room.power_levels": 100, "m.room.history_visibility": 100, "m.room.canonical_alias": 50,
                "m.room.avatar": 50, "m.room.tombstone": v12Creators ? 150 : 100, "m.room.server_acl": 100,
                "m.room.encryption": 100,
            ],
            "events_default": 0, "state_default": 50, "ban": 50, "kick": 50, "redact": 50,
            "invite": preset == "public_chat" ? 50 : 0,
            "historical": 100,
        ]
        if let override = request.powerLevelOverride?.objectValue {
            if v12Creators, let overrideUsers = override["users"]?.objectValue {
                let creators = Set(([creator.rawValue] + additionalCreators(trusted: trusted)).map(JSONKey.init))
                if let clash = overrideUsers.keys.first(where: { creators.contains(JSONKey($0)) }) {
                    throw .invalidRoomState("Room creators cannot be given a power level: \(clash)")
                }
            }
            for (key, value) in override { content[key] = value }
        }
        return .object(content)
    }
}
