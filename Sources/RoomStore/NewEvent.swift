public import MatrixTypes

/// One event to persist, exactly as it was received or built, with what the caller already worked out about it.
///
/// The store never parses `json`: every indexed column comes from these fields, so the stored bytes stay the ones
/// the event's hashes and signatures cover.
public struct NewEvent: Sendable {
    public var eventID: EventID
    public var roomID: RoomID
    public var type: String
    public var stateKey: String?
    public var sender: UserID
    /// The event's `depth`, stored as `topological_ordering`.
    public var depth: Int64
    /// The event's JSON bytes as received.
    public var json: [UInt8]
    /// An event whose state is unknown (fetched for auth chains); it joins neither the timeline nor the extremities.
    public var outlier: Bool
    public var rejectedReason: String?
    public var softFailed: Bool
    /// The event's `prev_events`; they stop being forward extremities once this event is stored.
    public var prevEvents: [EventID]
    /// The room's state after this event; `nil` only for outliers.
    public var stateAfter: StateAfter?
    /// The client transaction that sent it, recorded so a retried send returns the same event.
    public var transaction: ClientTransaction?
    /// For an `m.room.member` event that takes effect, the `membership` its content sets.
    public var membership: String?
    /// For a redaction that takes effect, the event whose content it removes from client views.
    public var redacts: EventID?
    /// For the join that brings this server into a room held elsewhere: the memberships of the state it joins
    /// (stored as outliers), recorded as the room's current ones.
    public var adoptedMemberships: [AdoptedMembership] = []
    /// For that join: the room's earlier extremities (from a time this server was in the room before) are
    /// forgotten, so the room continues from the join alone, as Synapse cleans a room it rejoins.
    public var replacesExtremities = false
    /// Older history fetched from another server (`/backfill`): shown on `/messages` below everything synced, it
    /// moves neither the room's extremities, nor its memberships, nor its current state. An outlier stored before
    /// under its ID becomes this event.
    public var historical = false
    /// Built by another server: it may be one the stored history refers to without holding (a backward extremity),
    /// which it stops being once stored in the timeline, whichever way it arrived.
    public var received = false
    /// Its `prev_events` that this server does not hold in the room's timeline: where older history is fetched from.
    public var missingPrevEvents: [EventID] = []

    /// Neither an outlier, nor rejected, nor soft-failed: it joins the timeline clients see, and its redaction
    /// applies.
    var takesEffect: Bool { !outlier && rejectedReason == nil && !softFailed }

    /// Takes effect as the room's newest event: it moves the room's extremities and memberships.
    var movesRoom: Bool { takesEffect && !historical }

    public init(
        eventID: EventID, roomID: RoomID, type: String, stateKey: String?, sender: UserID, depth: Int64, json: [UInt8],
        outlier: Bool = false, rejectedReason: String? = nil, softFailed: Bool = false, prevEvents: [EventID],
        stateAfter: StateAfter?, transaction: ClientTransaction? = nil, membership: String? = nil,
        redacts: EventID? = nil
    ) {
        self.eventID = eventID
        self.roomID = roomID
        self.type = type
        self.stateKey = stateKey
        self.sender = sender
        self.depth = depth
        self.json = json
        self.outlier = outlier
        self.rejectedReason = rejectedReason
        self.softFailed = softFailed
        self.prevEvents = prevEvents
        self.stateAfter = stateAfter
        self.transaction = transaction
        self.membership = membership
        self.redacts = redacts
    }
}

/// A member of a room joined over federation, as its state says.
public struct AdoptedMembership: Sendable {
    public var userID: String
    public var membership: String
    public var eventID: EventID

    public init(userID: String, membership: String, eventID: EventID) {
        self.userID = userID
        self.membership = membership
        self.eventID = eventID
    }
}

/// The room's state after an event, described relative to state the store already holds.
public enum StateAfter: Sendable {
    /// Identical to the state after `event` (a message, a rejected event): no state rows are written.
    case sameAs(EventID)
    /// The state after `base` (empty when `nil`, for `m.room.create`) with `changes` applied; a resolved fork is
    /// expressed as its differences from one of its parents.
    case changed(base: EventID?, changes: [StateKey: EventID])
}

/// `(user_id, device_id, scope, txn_id)`: the key under which `PUT /send/{type}/{txnId}` and
/// `PUT /redact/{eventId}/{txnId}` are idempotent. `scope` names the endpoint without the transaction ID
/// (`send !room:hs m.room.message`), so one ID on two endpoints names two requests. Equality and hashing use the
/// UTF-8 bytes, so transaction IDs that differ only in Unicode normalisation are two transactions, as in the table.
public struct ClientTransaction: Sendable, Hashable {
    public var userID: UserID
    public var deviceID: String
    public var scope: String
    public var txnID: String

    public init(userID: UserID, deviceID: String, scope: String = "", txnID: String) {
        self.userID = userID
        self.deviceID = deviceID
        self.scope = scope
        self.txnID = txnID
    }

    public static func == (lhs: ClientTransaction, rhs: ClientTransaction) -> Bool {
        lhs.userID.rawValue.hasSameBytes(as: rhs.userID.rawValue) && lhs.deviceID.hasSameBytes(as: rhs.deviceID)
            && lhs.scope.hasSameBytes(as: rhs.scope) && lhs.txnID.hasSameBytes(as: rhs.txnID)
    }

    public func hash(into hasher: inout Hasher) {
        for field in [userID.rawValue, deviceID, scope, txnID] {
            for byte in field.utf8 { hasher.combine(byte) }
            hasher.combine(0xFF as UInt8)  // never a UTF-8 byte, so fields cannot run into each other
        }
    }
}
