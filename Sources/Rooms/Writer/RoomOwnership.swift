public import MatrixTypes

/// Which of the configured event writers owns a room: every event of a room is built and persisted by one writer, so
/// its in-memory snapshot of the room is the room. Chosen from the room ID alone (a stable hash of its bytes), so
/// every process agrees without asking anyone; a writer creating a room draws IDs until it owns the one it gets.
public struct RoomOwnership: Sendable, Hashable {
    /// The instances named in `stream_writers.events`, in the configured order.
    public let writers: [String]

    public init(writers: [String]) {
        precondition(!writers.isEmpty, "events have at least one writer")
        self.writers = writers
    }

    public func owner(of roomID: RoomID) -> String {
        guard writers.count > 1 else { return writers[0] }
        // FNV-1a: the same in every process and every run, unlike Swift's seeded `Hasher`.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in roomID.rawValue.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return writers[Int(hash % UInt64(writers.count))]
    }
}
