public import MatrixTypes

/// What `/sync` and the event stream read of typing, held in memory where it is set; positions count changes since
/// `epoch`, so a token from another epoch is answered with the current state. A process that does not take typing
/// requests reads the same from what replication tells it.
public protocol TypingReads: Sendable {
    var epoch: Int64 { get }
    var position: Int64 { get }
    /// The users typing in each of `rooms` that changed after `after` (every room when `after` is from another epoch).
    func typing(in rooms: Set<RoomID>, after: Int64, epoch tokenEpoch: Int64) -> [RoomID: [UserID]]
}
