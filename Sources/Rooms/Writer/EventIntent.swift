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
    /// A state event repeating the current one (same sender, same canonical content) is not written again; the
    /// current event answers instead, as Synapse does for `PUT /state`, so clients re-applying state add nothing.
    public var keepsIdenticalState: Bool
    /// The sender is a local guest: its membership events are marked `kind: guest`, and it may join only rooms
    /// open to guests (`GuestAccessRules`).
    public var byGuest: Bool

    public init(
        sender: UserID, type: String, stateKey: String? = nil, content: JSONValue, transaction: ClientTransaction? = nil,
        redacts: EventID? = nil, keepsIdenticalState: Bool = false, byGuest: Bool = false
    ) {
        self.sender = sender
        self.type = type
        self.stateKey = stateKey
        self.content = content
        self.transaction = transaction
        self.redacts = redacts
        self.keepsIdenticalState = keepsIdenticalState
        self.byGuest = byGuest
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

    /// The single state intent that must not repeat the room's current event, if this unit is one.
    var identicalStateCandidate: (roomID: RoomID, intent: EventIntent)? {
        guard intents.count == 1, case .existing(let roomID) = target, intents[0].keepsIdenticalState, intents[0].stateKey != nil
        else { return nil }
        return (roomID, intents[0])
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
