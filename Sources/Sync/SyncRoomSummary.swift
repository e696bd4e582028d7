import MatrixTypes
import Rooms
import RoomStore
import Storage

/// A room's `summary` in `/sync`, as Synapse's `compute_summary` builds it: the joined and invited member counts,
/// and `m.heroes` only when the room has neither a name nor a canonical alias to be called by.
struct SyncRoomSummary {
    var json: JSONValue
    /// The heroes' current member events, which lazy loading must send along so the client can name them.
    var heroMembers: [StateKey: EventID]

    static let heroLimit = 5

    static func load(_ roomID: RoomID, for user: UserID, state: any RoomStateReads) async throws(RoomError) -> SyncRoomSummary {
        let members = try await RoomError.catching { try await state.memberSummary(of: roomID) }
        var json: JSONValue = [
            "m.joined_member_count": .integer(Int64(members.joinedCount)),
            "m.invited_member_count": .integer(Int64(members.invitedCount)),
        ]
        guard try await !isNamed(roomID, state: state) else { return SyncRoomSummary(json: json, heroMembers: [:]) }
        let others = members.first.filter { $0.userID != user }
        let present = others.filter { $0.membership == Membership.join || $0.membership == Membership.invite }
        let gone = others.filter { $0.membership == Membership.leave || $0.membership == Membership.ban }
        let heroes = (present.isEmpty ? gone : present).prefix(heroLimit)
        json["m.heroes"] = .array(heroes.map { .string($0.userID.rawValue) })
        var heroMembers: [StateKey: EventID] = [:]
        for hero in heroes { heroMembers[.member(hero.userID.rawValue)] = hero.eventID }
        return SyncRoomSummary(json: json, heroMembers: heroMembers)
    }

    /// Whether the room's current name or canonical alias is set to something Python counts as true (Synapse
    /// checks `content.get("name")` and `content.get("alias")`), so clients need no heroes to call it.
    private static func isNamed(_ roomID: RoomID, state: any RoomStateReads) async throws(RoomError) -> Bool {
        let slots: [(StateKey, String)] = [(StateKey("m.room.name", ""), "name"), (StateKey("m.room.canonical_alias", ""), "alias")]
        let current = try await RoomError.catching {
            try await state.currentSlots(slots.map(\.0), in: [roomID])
        }[roomID] ?? [:]
        return slots.contains { slot, field in
            current[slot].flatMap { try? JSONValue.parse($0.json) }?["content"]?[field].map(isTruthy) ?? false
        }
    }

    private static func isTruthy(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .bool(let flag): flag
        case .integer(let number): number != 0
        case .bigInteger: true
        case .double(let number): number != 0
        case .string(let text): !text.isEmpty
        case .array(let elements): !elements.isEmpty
        case .object(let members): !members.isEmpty
        }
    }
}
