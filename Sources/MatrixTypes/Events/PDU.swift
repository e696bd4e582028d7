/// A persistent data unit: one room event in its federation form, with the fields the protocol core reads already
/// checked and decoded.
///
/// The original JSON is kept as received, because hashes and signatures cover it and re-encoding a decoded copy
/// would change them.
public struct PDU: Sendable, Identifiable {
    /// The most bytes an event may take as canonical JSON, signatures included.
    public static let maximumByteCount = 65_536
    /// The deepest nesting of objects and arrays an event may have, the event object itself being level 1.
    /// Synapse 1.163 builds every event, sent by a client or received over federation, with a Rust JSON parser whose
    /// recursion limit (serde_json's 128) refuses level 128; both sides must refuse the same events.
    public static let maximumNestingDepth = 127
    /// The most bytes an event's `type` or `state_key` may take.
    public static let maximumKeyByteCount = 255

    /// The event exactly as received.
    public let json: JSONValue
    public let version: RoomVersion
    /// From `event_id` in rooms v1–v2, derived from the reference hash afterwards.
    public let eventID: EventID
    /// The room; for a v12 create event, which carries no `room_id`, derived from its own event ID.
    public let roomID: RoomID
    public let type: String
    /// Present exactly when this is a state event.
    public let stateKey: String?
    public let sender: UserID
    /// Always a JSON object.
    public let content: JSONValue
    public let prevEventIDs: [EventID]
    /// The IDs listed in `auth_events` (never the v12 create event; see ``authEventIDsWithCreate``).
    public let authEventIDs: [EventID]
    public let depth: Int64
    public let originServerTS: Int64
    /// The event a redaction redacts: top-level `redacts` before v11, `content.redacts` from v11 on.
    public let redacts: EventID?

    public var id: EventID { eventID }

    public var isState: Bool { stateKey != nil }

    /// The state slot this event fills, if it is a state event.
    public var stateMapKey: StateKey? { stateKey.map { StateKey(type, $0) } }

    /// `content.membership` when it is a string.
    public var membership: String? { content["membership"]?.stringValue }

    /// Whether this is the room's `m.room.create` event (type `m.room.create` with an empty state key).
    public var isCreateEvent: Bool {
        type.hasSameBytes(as: EventType.create) && stateKey.map { $0.isEmpty } == true
    }

    /// The auth events plus, in rooms whose ID is the create event's hash, the create event the room ID implies.
    /// State resolution and power-level lookups treat the two alike.
    public var authEventIDsWithCreate: [EventID] {
        guard version.roomIDFormat == .createEventHash, !isCreateEvent, let create = roomID.createEventID else {
            return authEventIDs
        }
        return authEventIDs + [create]
    }

    /// Whether `type` is `eventType` (compared byte for byte).
    public func hasType(_ eventType: String) -> Bool {
        type.hasSameBytes(as: eventType)
    }
}
