import MatrixTypes
import RoomStore
import Rooms
import Storage

/// Who may see a room in a hierarchy, as Synapse decides (`_is_local_room_accessible`,
/// `_is_remote_room_accessible`): anyone when its join rule is `public`, or `knock`/`knock_restricted` in a version
/// that has them, or its history is `world_readable`; otherwise a user joined or invited, or in one of the rooms a
/// restricted join rule allows; over federation, a server with a user joined or invited, or joined to one of those
/// rooms.
struct HierarchyAccess: Sendable {
    /// Who is asking: a local user, or another server on its users' behalf.
    enum Viewer: Sendable {
        case user(UserID)
        case server(ServerName)
    }

    let store: RoomStore
    let versions: RoomVersions

    static let historyVisibility = StateKey("m.room.history_visibility", "")

    func mayView(_ roomID: RoomID, _ viewer: Viewer) async throws(SpacesError) -> Bool {
        var keys: [StateKey] = [.create, .joinRules, Self.historyVisibility]
        if case .user(let user) = viewer { keys.append(.member(user.rawValue)) }
        let state = try await SpacesError.catching { try await store.currentSlots(keys, in: [roomID]) }[roomID] ?? [:]
        guard !state.isEmpty else {
            // A room not held here may still hold the user's invite (kept apart from the room).
            guard case .user(let user) = viewer else { return false }
            return try await membership(of: user, in: roomID)?.hasSameBytes(as: Membership.invite) == true
        }
        // A room of a version this server does not support is left out rather than failing the whole walk.
        guard let version = try? await versions.version(of: roomID) else { return false }
        let joinRules = RoomSummary.content(EventType.joinRules, in: state)
        let rule = joinRules?["join_rule"]?.stringValue ?? ""
        if rule.hasSameBytes(as: JoinRule.public) || (version.authRules.allowsKnocking && rule.hasSameBytes(as: JoinRule.knock))
            || (version.authRules.allowsKnockRestrictedJoins && rule.hasSameBytes(as: JoinRule.knockRestricted))
        {
            return true
        }
        if RoomSummary.content(Self.historyVisibility.type, in: state)?["history_visibility"]?.stringValue?.hasSameBytes(as: "world_readable") == true {
            return true
        }
        let allowed = Self.isRestricted(rule, version: version) ? Self.allowedRooms(joinRules) : []
        switch viewer {
        case .user(let user):
            let membership = state[.member(user.rawValue)].flatMap { try? JSONValue.parse($0.json) }?["content"]?["membership"]?.stringValue
            if let membership, membership.hasSameBytes(as: Membership.join) || membership.hasSameBytes(as: Membership.invite) { return true }
            return try await isJoined(user, toAnyOf: allowed)
        case .server(let server):
            if try await hasMember(of: server, in: roomID, membership: Membership.join) { return true }
            if try await hasMember(of: server, in: roomID, membership: Membership.invite) { return true }
            for room in allowed {
                if try await hasMember(of: server, in: room, membership: Membership.join) { return true }
            }
            return false
        }
    }

    /// A room another server summarised, for a local user: open by its join rule (absent counts as `public`; the
    /// version is not known, so `knock` counts) or `world_readable`, or the user is in one of its
    /// `allowed_room_ids`, or may see it here (an invite, a join).
    func mayView(remote summary: JSONObject, roomID: RoomID, user: UserID) async throws(SpacesError) -> Bool {
        let rule = summary["join_rule"]?.stringValue ?? JoinRule.public
        if [JoinRule.public, JoinRule.knock, JoinRule.knockRestricted].contains(where: { $0.hasSameBytes(as: rule) }) { return true }
        if summary["world_readable"]?.boolValue == true { return true }
        let allowed = (summary["allowed_room_ids"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { try? RoomID($0) } }
        if try await isJoined(user, toAnyOf: allowed) { return true }
        return try await mayView(roomID, .user(user))
    }

    /// Whether `rule` is a restricted rule the version knows.
    static func isRestricted(_ rule: String, version: RoomVersion) -> Bool {
        (version.authRules.allowsRestrictedJoins && rule.hasSameBytes(as: JoinRule.restricted))
            || (version.authRules.allowsKnockRestrictedJoins && rule.hasSameBytes(as: JoinRule.knockRestricted))
    }

    /// The rooms of a join rule's `m.room_membership` conditions.
    static func allowedRooms(_ joinRules: JSONValue?) -> [RoomID] {
        (joinRules?["allow"]?.arrayValue ?? []).compactMap { condition in
            guard condition["type"]?.stringValue?.hasSameBytes(as: "m.room_membership") == true else { return nil }
            return condition["room_id"]?.stringValue.flatMap { try? RoomID($0) }
        }
    }

    private func isJoined(_ user: UserID, toAnyOf rooms: [RoomID]) async throws(SpacesError) -> Bool {
        for room in rooms {
            if try await membership(of: user, in: room)?.hasSameBytes(as: Membership.join) == true { return true }
        }
        return false
    }

    private func membership(of user: UserID, in roomID: RoomID) async throws(SpacesError) -> String? {
        try await SpacesError.catching { try await store.membership(of: user, in: roomID) }
    }

    private func hasMember(of server: ServerName, in roomID: RoomID, membership: String) async throws(SpacesError) -> Bool {
        try await SpacesError.catching { try await store.members(of: roomID, membership: membership) }
            .contains { $0.serverName.rawValue.hasSameBytes(as: server.rawValue) }
    }
}
