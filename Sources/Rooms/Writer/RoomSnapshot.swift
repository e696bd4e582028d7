import MatrixTypes

/// What the writer keeps in memory about a room to build its next event without reading the database: the current
/// state events, the forward extremities and the depth.
struct RoomSnapshot: Sendable {
    let roomID: RoomID
    let version: RoomVersion
    var state: [StateKey: PDU]
    var extremities: [PDU]
    /// While the extremities fork (events received from other servers), the current state as the store records it:
    /// the state after `base` with `changes` (none when `base`'s state won). `nil` with one extremity, whose state is
    /// the current state.
    var fork: (base: EventID, changes: StateMap)?

    var depth: Int64 { extremities.map(\.depth).max() ?? 0 }

    /// Records `event`, built on every extremity, as the room's newest event.
    mutating func apply(_ event: PDU) {
        extremities = [event]
        fork = nil
        if let key = event.stateMapKey { state[key] = event }
    }
}
