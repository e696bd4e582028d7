import MatrixTypes
import Synchronization

/// Other servers' hierarchy answers kept briefly, as Synapse keeps them: a walk that pages on, or another user's,
/// asks again only once an answer is older than `lifetime`. At most `capacity` answers; the oldest go first.
final class RemoteHierarchyCache: Sendable {
    struct Key: Hashable, Sendable {
        let roomID: RoomID
        let suggestedOnly: Bool
    }

    private let entries = Mutex<[Key: (answer: RemoteHierarchy, at: ContinuousClock.Instant)]>([:])
    let lifetime: Duration
    let capacity: Int

    init(lifetime: Duration = .seconds(60), capacity: Int = 1_000) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    func answer(for key: Key) -> RemoteHierarchy? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now - entry.at < lifetime else {
                entries[key] = nil
                return nil
            }
            return entry.answer
        }
    }

    func store(_ answer: RemoteHierarchy, for key: Key) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            entries[key] = (answer, now)
            guard entries.count > capacity else { return }
            entries = entries.filter { now - $0.value.at < lifetime }
            while entries.count > capacity, let oldest = entries.min(by: { $0.value.at < $1.value.at })?.key { entries[oldest] = nil }
        }
    }
}
