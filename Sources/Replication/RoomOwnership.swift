public import MatrixTypes

/// Which of the configured event writers owns a room: every event of a room is built and persisted by one writer, so
/// its in-memory snapshot of the room is the room, and a reader bounds a room's events by that writer's position.
/// Chosen from the room ID alone (a stable hash of its bytes), so every process agrees without asking anyone; a
/// writer creating a room draws IDs until it owns the one it gets.
public struct RoomOwnership: Sendable, Hashable {
    /// The instances named in `stream_writers.events`, in the configured order.
    public let writers: [String]
    /// Names this list of writers in tokens: positions recorded under another list are not read as this one's.
    public let tag: UInt32

    public init(writers: [String]) {
        precondition(!writers.isEmpty, "events have at least one writer")
        self.writers = writers
        let hash = StableHash.fnv1a(writers.joined(separator: "\n").utf8)
        tag = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    public func owner(of roomID: RoomID) -> String {
        writers[index(of: roomID)]
    }

    /// The owner's place in `writers`.
    public func index(of roomID: RoomID) -> Int {
        guard writers.count > 1 else { return 0 }
        return Int(StableHash.fnv1a(roomID.rawValue.utf8) % UInt64(writers.count))
    }
}
