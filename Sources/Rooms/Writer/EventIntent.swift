public import MatrixTypes
public import RoomStore

/// What a client asks the room's writer to add: the writer alone picks prev/auth events, depth and the event ID.
public struct EventIntent: Sendable {
    public var sender: UserID
    public var type: String
    public var stateKey: String?
    public var content: JSONValue
    /// The send's `(user, device, txn_id)`, so a retry answers with the first event.
    public var transaction: ClientTransaction?
    /// For redactions in rooms before v11, which carry the target at the top level.
    public var redacts: EventID?

    public init(
        sender: UserID, type: String, stateKey: String? = nil, content: JSONValue, transaction: ClientTransaction? = nil,
        redacts: EventID? = nil
    ) {
        self.sender = sender
        self.type = type
        self.stateKey = stateKey
        self.content = content
        self.transaction = transaction
        self.redacts = redacts
    }
}

/// Events that must be persisted together: all of them or none.
public struct WriteUnit: Sendable {
    public enum Target: Sendable {
        case existing(RoomID)
        /// A room that does not exist yet; its first intent must be `m.room.create`.
        case new(RoomVersion)
    }

    public var target: Target
    public var intents: [EventIntent]

    public init(target: Target, intents: [EventIntent]) {
        precondition(!intents.isEmpty, "a write unit needs at least one intent")
        self.target = target
        self.intents = intents
    }

    /// The client transaction under which a single send is idempotent.
    var retryKey: ClientTransaction? {
        guard intents.count == 1, case .existing = target else { return nil }
        return intents[0].transaction
    }
}

/// One event as persisted by the writer.
public struct WrittenEvent: Sendable, Hashable {
    public var eventID: EventID
    public var roomID: RoomID
    public var streamOrdering: Int64
}
