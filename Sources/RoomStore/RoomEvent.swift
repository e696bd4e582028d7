public import MatrixTypes

/// An event read back for clients: the bytes as stored, where it sits in the room, and what a client view adds
/// (the transaction that sent it, whether it was redacted).
public struct RoomEvent: Sendable {
    public var eventID: EventID
    public var roomID: RoomID
    public var type: String
    public var stateKey: String?
    public var sender: UserID
    public var streamOrdering: Int64
    public var topologicalOrdering: Int64
    public var json: [UInt8]
    /// The client transaction that produced it, shown only to the device that sent it.
    public var transaction: ClientTransaction?
    /// The redaction that removed its content, if one took effect.
    public var redactedBy: EventID?
    /// Set for one reader, never stored: the sender deactivated with `erase: true` and the reader was not joined when
    /// the event was sent, so it is shown redacted to them (Synapse's `is_sender_erased` check).
    public var erasedForReader = false

    /// Where the event sits in the room's history, for pagination tokens.
    public var position: RoomPosition {
        RoomPosition(topological: topologicalOrdering, stream: streamOrdering)
    }
}

/// A point in a room's history: `(depth, stream ordering)`, ordered lexicographically.
public struct RoomPosition: Sendable, Hashable, Comparable {
    public var topological: Int64
    public var stream: Int64

    public init(topological: Int64, stream: Int64) {
        self.topological = topological
        self.stream = stream
    }

    public static func < (lhs: RoomPosition, rhs: RoomPosition) -> Bool {
        (lhs.topological, lhs.stream) < (rhs.topological, rhs.stream)
    }
}

/// Where a page of `/messages` starts or stops.
public enum HistoryBound: Sendable, Hashable {
    /// Just before the event at this position (pagination tokens).
    case before(RoomPosition)
    /// Just after stream ordering `n` (live and sync tokens).
    case afterStream(Int64)
}

/// Which way `/messages` pages.
public enum HistoryDirection: Sendable {
    case backward, forward
}
