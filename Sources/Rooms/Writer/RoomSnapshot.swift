import MatrixTypes

/// What the writer keeps in memory about a room to build its next event without reading the database: the current
/// state events, the forward extremities and the depth.
struct RoomSnapshot: Sendable {
    let roomID: RoomID
    let version: RoomVersion
    var state: [StateKey: PDU]
    var extremities: [PDU]

    var depth: Int64 { extremities.map(\.depth).max() ?? 0 }

    /// Records `event` as the room's newest event.
    mutating func apply(_ event: PDU) {
        extremities = [event]
        if let key = event.stateMapKey { state[key] = event }
    }
}
