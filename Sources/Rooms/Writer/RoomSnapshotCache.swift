import MatrixTypes

/// The writer's room snapshots, least recently used evicted first once `capacity` rooms are held. An evicted room
/// is reloaded from the store when next written to, so the bound costs a read, never correctness.
struct RoomSnapshotCache {
    let capacity: Int
    private var entries: [RoomID: (snapshot: RoomSnapshot, lastUse: UInt64)] = [:]
    private var tick: UInt64 = 0

    init(capacity: Int) {
        precondition(capacity > 0, "the writer needs room for at least one snapshot")
        self.capacity = capacity
    }

    var count: Int { entries.count }

    /// The room's snapshot, marked as just used.
    mutating func get(_ roomID: RoomID) -> RoomSnapshot? {
        guard let entry = entries[roomID] else { return nil }
        tick += 1
        entries[roomID] = (entry.snapshot, tick)
        return entry.snapshot
    }

    /// Stores `snapshot` as most recently used, evicting the least recently used room past the capacity.
    mutating func put(_ snapshot: RoomSnapshot) {
        tick += 1
        entries[snapshot.roomID] = (snapshot, tick)
        while entries.count > capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            entries[oldest] = nil
        }
    }

    mutating func remove(_ roomID: RoomID) {
        entries[roomID] = nil
    }
}
