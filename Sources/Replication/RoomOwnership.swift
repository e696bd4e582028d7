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
        let hash = Self.fnv1a(writers.joined(separator: "\n").utf8)
        tag = UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    public func owner(of roomID: RoomID) -> String {
        writers[index(of: roomID)]
    }

    /// The owner's place in `writers`.
    public func index(of roomID: RoomID) -> Int {
        guard writers.count > 1 else { return 0 }
        return Int(Self.fnv1a(roomID.rawValue.utf8) % UInt64(writers.count))
    }

    /// FNV-1a: the same in every process and every run, unlike Swift's seeded `Hasher`.
    private static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }
}
