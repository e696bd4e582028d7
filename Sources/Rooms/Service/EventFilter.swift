public import MatrixTypes
public import RoomStore

/// The event-matching part of a sync/`/messages` filter: `types`, `not_types`, `senders`, `not_senders`, with
/// `*` wildcards in types. `limit` is the timeline size a `RoomEventFilter` asks for.
public struct EventFilter: Sendable {
    public var types: [String]?
    public var notTypes: [String]
    public var senders: Set<String>?
    public var notSenders: Set<String>
    public var limit: Int?
    public var lazyLoadMembers: Bool

    public static let all = EventFilter(json: [:])

    public init(json: JSONValue) {
        types = json["types"]?.arrayValue?.compactMap(\.stringValue)
        notTypes = json["not_types"]?.arrayValue?.compactMap(\.stringValue) ?? []
        senders = json["senders"]?.arrayValue.map { Set($0.compactMap(\.stringValue)) }
        notSenders = Set(json["not_senders"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        limit = json["limit"]?.integerValue.map { Int(max(1, min($0, 1000))) }
        lazyLoadMembers = json["lazy_load_members"] == .bool(true)
    }

    public func matches(_ event: RoomEvent) -> Bool {
        matches(type: event.type, sender: event.sender.rawValue)
    }

    /// For events that are not room events (presence): only their type and sender are filtered on.
    public func matches(type: String, sender: String) -> Bool {
        if notTypes.contains(where: { Self.type(type, matches: $0) }) { return false }
        if let types, !types.contains(where: { Self.type(type, matches: $0) }) { return false }
        if notSenders.contains(sender) { return false }
        if let senders, !senders.contains(sender) { return false }
        return true
    }

    private static func type(_ type: String, matches pattern: String) -> Bool {
        if pattern.hasSuffix("*") { return type.hasPrefix(pattern.dropLast()) }
        return type == pattern
    }
}
