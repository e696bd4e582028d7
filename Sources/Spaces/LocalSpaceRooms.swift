import MatrixTypes
import RoomStore
import Rooms
import Storage

/// What the hierarchy says of a room this server holds: its summary (the directory's fields, with `room_version`,
/// `encryption` and, for restricted rooms, `allowed_room_ids`) and, for a space, its valid `m.space.child` events in
/// the spec's order.
struct LocalSpaceRooms: Sendable {
    let store: RoomStore
    let versions: RoomVersions
    let serverName: ServerName

    /// The most `m.space.child` events read of one room (removed children included): beyond it, those first by state
    /// key.
    static let maxChildEvents = 1_000
    /// The most children of one room taken, in the spec's order, of the valid ones read.
    static let maxChildren = 200
    static let spaceType = "m.space"
    static let encryption = StateKey("m.room.encryption", "")

    /// Whether this server is in the room (a user of it joined): only then does it hold the room's current state.
    func isHeld(_ roomID: RoomID) async throws(SpacesError) -> Bool {
        try await SpacesError.catching { try await store.hasJoinedMember(of: serverName, in: roomID) }
    }

    /// The room's summary; `nil` for a room with no state here.
    func summary(of roomID: RoomID) async throws(SpacesError) -> JSONObject? {
        let state = try await SpacesError.catching {
            try await store.currentSlots(RoomSummary.slots + [Self.encryption], in: [roomID])
        }[roomID]
        guard let state, !state.isEmpty else { return nil }
        let joined = try await SpacesError.catching { try await store.memberSummary(of: roomID) }.joinedCount
        var entry = RoomSummary.entry(roomID: roomID, joinedMembers: Int64(joined), state: state)
        let create = RoomSummary.content(EventType.create, in: state)
        entry["room_version"] = .string(create?["room_version"]?.stringValue ?? "1")
        if let algorithm = RoomSummary.content(Self.encryption.type, in: state)?["algorithm"], algorithm.stringValue != nil {
            entry["encryption"] = algorithm
        }
        if let version = try? await versions.version(of: roomID) {
            let joinRules = RoomSummary.content(EventType.joinRules, in: state)
            let allowed = HierarchyAccess.allowedRooms(joinRules)
            if HierarchyAccess.isRestricted(joinRules?["join_rule"]?.stringValue ?? "", version: version), !allowed.isEmpty {
                entry["allowed_room_ids"] = .array(allowed.map { .string($0.rawValue) })
            }
        }
        return entry
    }

    static func isSpace(_ summary: JSONObject) -> Bool {
        summary["room_type"]?.stringValue?.hasSameBytes(as: spaceType) == true
    }

    /// The space's children in order (only suggested ones when `suggestedOnly`); none for a room that is not a space.
    func children(of roomID: RoomID, summary: JSONObject, suggestedOnly: Bool) async throws(SpacesError) -> [SpaceChild] {
        guard Self.isSpace(summary) else { return [] }
        let state = try await SpacesError.catching { try await store.state(in: roomID, atStream: Int64.max) } ?? [:]
        let ids = state.filter { $0.key.type.hasSameBytes(as: SpaceChild.eventType) }
            .sorted { $0.key.stateKey.precedesBytewise($1.key.stateKey) }
            .prefix(Self.maxChildEvents).map(\.value)
        guard !ids.isEmpty else { return [] }
        let events = try await SpacesError.catching { try await store.events(ids) }
        // A redacted child event keeps no `via`: redacting it removes the child, as the spec has it.
        let children = events.filter { $0.redactedBy == nil }
            .compactMap { event in (try? JSONValue.parse(event.json)).flatMap(SpaceChild.init(event:)) }
            .filter { !suggestedOnly || $0.suggested }
            .sorted(by: SpaceChild.precedes)
        return Array(children.prefix(Self.maxChildren))
    }
}
