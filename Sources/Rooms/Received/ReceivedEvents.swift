public import MatrixTypes

/// Events another server built for a room this server is in, handed to the room's writer in the order they must be
/// added (each one's `prev_events` and `auth_events` stored before it). Their format, hashes and signatures are
/// checked by the caller; the writer applies the auth rules.
public struct ReceivedEvents: Sendable {
    /// How the events relate to the room as this server holds it.
    public enum Kind: Sendable {
        /// Events of a room this server holds, building on events it has.
        case timeline
        /// This server's own join to a room held elsewhere (the only event), with the state the resident server
        /// answered with.
        case join(JoinedRoomState)
        /// A local user's membership in a room this server does not hold (the only event): an invite or a knock,
        /// carrying the room's stripped state in `unsigned.invite_room_state` or `unsigned.knock_room_state`, or the
        /// leave that rejects or withdraws one. Stored apart from any
        /// room history, with the member's membership.
        case outOfRoom
        /// Older history of a room this server is in, fetched from another server (`/backfill`), oldest first: shown
        /// on `/messages` below everything synced, moving neither the room's extremities nor its current state.
        case history
    }

    public var roomID: RoomID
    public var events: [PDU]
    public var kind: Kind
    /// For events whose `prev_events` are not all held here (the oldest of fetched history; a newer event past a gap
    /// that fetching missing events did not close): the room's state before each, as another server answered it
    /// (`/state`). The event is checked against it and its missing prev events recorded as where history is fetched
    /// from. Without one, such an event is skipped (history) or refused with `missingEvents` (newer events).
    public var statesBefore: [EventID: JoinedRoomState]

    public init(roomID: RoomID, events: [PDU], kind: Kind = .timeline, statesBefore: [EventID: JoinedRoomState] = [:]) {
        self.roomID = roomID
        self.events = events
        self.kind = kind
        self.statesBefore = statesBefore
    }
}

/// What a resident server answered this server's join with (`send_join`), or `/state` at an event of older history:
/// the room's state before the event and the events it and the event are authorised by, each checked by the caller
/// (signatures, hashes, its own auth events). The writer stores them as outliers and the event with that state.
public struct JoinedRoomState: Sendable {
    /// The state events and their auth chain, without repeats.
    public var events: [PDU]
    public var state: StateMap

    public init(events: [PDU], state: StateMap) {
        self.events = events
        self.state = state
    }
}

/// What became of one received event.
public struct ReceivedOutcome: Sendable {
    public enum Status: Sendable, Equatable {
        /// Authorised: it is part of the room.
        case accepted
        /// Authorised by the state before it but not by the room's current state: stored, never shown to clients,
        /// never built on (the spec's soft failure).
        case softFailed
        /// Refused by the auth rules; stored as rejected so it is never asked for again, and never authorises others.
        case rejected(String)
    }

    public var eventID: EventID
    public var status: Status
    /// Where it was stored; `nil` when it was already stored before.
    public var streamOrdering: Int64?
    /// The room's state before it (resolved from its `prev_events`, or as answered for older history); empty for older
    /// history that was held before.
    public var stateBefore: StateMap
}
