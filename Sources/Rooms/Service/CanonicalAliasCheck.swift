import MatrixTypes
import RoomStore
import Storage

/// Synapse's check of a new `m.room.canonical_alias`: its `alias`, when changed, and each `alt_aliases` entry not
/// already listed must exist and point to the room, so the event never advertises an alias that leads elsewhere.
/// Entries the current event already names are not checked again, so a room keeps working after an alias is deleted.
struct CanonicalAliasCheck {
    let store: RoomStore
    let aliases: any RoomAliases

    static let key = StateKey("m.room.canonical_alias", "")

    func check(_ content: JSONValue, in roomID: RoomID) async throws(RoomError) {
        let current = try await Self.current(in: roomID, store: store)
        if let alias = content["alias"], !alias.isNull, alias != .string(""), alias != current?["alias"] {
            try await checkPoints(alias, to: roomID)
        }
        guard let altAliases = content["alt_aliases"] else { return }
        guard let entries = altAliases.arrayValue else { throw .badRequest("The alt_aliases property must be a list.") }
        let known = current?["alt_aliases"]?.arrayValue ?? []
        for entry in entries where !known.contains(entry) {
            try await checkPoints(entry, to: roomID)
        }
    }

    /// The current `m.room.canonical_alias` content of the room, if it has one.
    static func current(in roomID: RoomID, store: RoomStore) async throws(RoomError) -> JSONValue? {
        try await RoomError.catching { try await store.currentSlots([key], in: [roomID]) }[roomID]?[key]
            .flatMap { try? JSONValue.parse($0.json) }?["content"]
    }

    /// `content` without `alias` wherever it names it (Synapse's `_update_canonical_alias`), or `nil` when it does
    /// not name it; an `alt_aliases` that is not a list is left as it is.
    static func content(_ content: JSONValue, without alias: RoomAlias) -> JSONValue? {
        guard var object = content.objectValue else { return nil }
        let removed = JSONValue.string(alias.rawValue)
        var changed = false
        if object["alias"] == removed {
            object["alias"] = nil
            changed = true
        }
        if let alternatives = object["alt_aliases"]?.arrayValue, alternatives.contains(removed) {
            let kept = alternatives.filter { $0 != removed }
            object["alt_aliases"] = kept.isEmpty ? nil : .array(kept)
            changed = true
        }
        return changed ? .object(object) : nil
    }

    private func checkPoints(_ value: JSONValue, to roomID: RoomID) async throws(RoomError) {
        guard let text = value.stringValue, let alias = try? RoomAlias(text) else { throw .badRequest("Invalid room alias") }
        guard let target = try await aliases.roomID(for: alias), target == roomID else { throw .badAlias(text) }
    }
}
