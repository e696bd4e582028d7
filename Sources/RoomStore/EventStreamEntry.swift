public import MatrixTypes

/// Where an event landed in the `events` stream and what it concerns, without its body.
public struct EventStreamEntry: Sendable, Hashable {
    public var streamOrdering: Int64
    public var roomID: RoomID
    public var type: String
    public var stateKey: String?
}
