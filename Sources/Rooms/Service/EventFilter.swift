import AccountData
public import MatrixTypes
public import RoomStore

/// The event-matching part of a sync/`/messages` filter: `types`, `not_types`, `senders`, `not_senders`, with
/// `*` wildcards in types. `limit` is the timeline size a `RoomEventFilter` asks for. Types and senders match
/// byte for byte, as Matrix compares them (a `Set<String>` would match canonically equivalent spellings).
public struct EventFilter: Sendable {
    public var types: [String]?
    public var notTypes: [String]
    public var senders: Set<JSONKey>?
    public var notSenders: Set<JSONKey>
    public var limit: Int?
    public var lazyLoadMembers: Bool
    /// The users the reader ignores: their non-state events do not match (``IgnoredUserList/hides(_:ignoring:)``).
    public var ignoredSenders: Set<JSONKey> = []

    public static let all = EventFilter(json: [:])

    public init(json: JSONValue) {
        types = json["types"]?.arrayValue?.compactMap(\.stringValue)
        notTypes = json["not_types"]?.arrayValue?.compactMap(\.stringValue) ?? []
        senders = json["senders"]?.arrayValue.map { Set($0.compactMap(\.stringValue).map(JSONKey.init)) }
        notSenders = Set((json["not_senders"]?.arrayValue?.compactMap(\.stringValue) ?? []).map(JSONKey.init))
        limit = json["limit"]?.integerValue.map { Int(max(1, min($0, 1000))) }
        lazyLoadMembers = json["lazy_load_members"] == .bool(true)
    }

    public func matches(_ event: RoomEvent) -> Bool {
        if IgnoredUserList.hides(event, ignoring: ignoredSenders) { return false }
        return matches(type: event.type, sender: event.sender.rawValue)
    }

    /// For events that are not room events (presence): only their type and sender are filtered on.
    public func matches(type: String, sender: String) -> Bool {
        if notTypes.contains(where: { Self.type(type, matches: $0) }) { return false }
        if let types, !types.contains(where: { Self.type(type, matches: $0) }) { return false }
        if notSenders.contains(JSONKey(sender)) { return false }
        if let senders, !senders.contains(JSONKey(sender)) { return false }
        return true
    }

    private static func type(_ type: String, matches pattern: String) -> Bool {
        if pattern.utf8.last == UInt8(ascii: "*") { return type.utf8.starts(with: pattern.utf8.dropLast()) }
        return type.hasSameBytes(as: pattern)
    }
}
