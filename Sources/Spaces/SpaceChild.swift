public import MatrixTypes

/// One `m.space.child` state event of a space: the child room (its state key), the servers to reach it through
/// (`via`: a non-empty array of strings, else the event names no child, as after a redaction), its `order` when
/// valid, whether it is suggested, and the stripped event the hierarchy answers with (`type`, `state_key`,
/// `content`, `sender`, `origin_server_ts`).
public struct SpaceChild: Sendable {
    public static let eventType = "m.space.child"
    /// The longest valid `order`, in characters (all of them printable ASCII, so bytes).
    static let maxOrderLength = 50

    public let roomID: RoomID
    public let via: [String]
    /// `order` when it is a string of at most 50 characters from `\x20` to `\x7E`; otherwise ignored.
    public let order: String?
    /// `suggested: true` (a boolean; anything else is not suggested).
    public let suggested: Bool
    public let originServerTS: Int64
    public let stripped: JSONValue

    /// The child an event names (a stored event or a stripped one another server answered); `nil` for an event
    /// of another type, a state key that is not a room ID, or a `via` that is missing, empty or not all strings.
    public init?(event: JSONValue) {
        guard event["type"]?.stringValue?.hasSameBytes(as: Self.eventType) == true,
            let stateKey = event["state_key"]?.stringValue, let roomID = try? RoomID(stateKey),
            let content = event["content"], content.objectValue != nil, let via = Self.via(of: content),
            let sender = event["sender"]?.stringValue, let timestamp = event["origin_server_ts"]?.integerValue
        else { return nil }
        self.roomID = roomID
        self.via = via
        order = Self.validOrder(content["order"])
        suggested = content["suggested"]?.boolValue == true
        originServerTS = timestamp
        stripped = [
            "type": .string(Self.eventType), "state_key": .string(stateKey), "content": content, "sender": .string(sender),
            "origin_server_ts": .integer(timestamp),
        ]
    }

    /// `via` when it is a non-empty array of strings.
    static func via(of content: JSONValue) -> [String]? {
        guard let entries = content["via"]?.arrayValue, !entries.isEmpty else { return nil }
        let servers = entries.compactMap(\.stringValue)
        return servers.count == entries.count ? servers : nil
    }

    static func validOrder(_ value: JSONValue?) -> String? {
        guard let order = value?.stringValue, order.utf8.count <= Self.maxOrderLength,
            order.utf8.allSatisfy({ (0x20...0x7E).contains($0) })
        else { return nil }
        return order
    }

    /// The spec's order: children with a valid `order` first, by its code points; then by the event's
    /// `origin_server_ts`; then by room ID (the state key), by bytes.
    public static func precedes(_ a: SpaceChild, _ b: SpaceChild) -> Bool {
        switch (a.order, b.order) {
        case let (first?, second?) where !first.hasSameBytes(as: second): return first.precedesBytewise(second)
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        if a.originServerTS != b.originServerTS { return a.originServerTS < b.originServerTS }
        return a.roomID.rawValue.precedesBytewise(b.roomID.rawValue)
    }
}
