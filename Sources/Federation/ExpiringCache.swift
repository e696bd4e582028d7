import Synchronization

/// Answers kept until a time each carries (name servers', well-known lookups'), at most `capacity` keys: past it
/// the cache starts over, which costs only lookups made again. An entry past its time is still handed out, marked
/// stale, for callers that fall back on it when asking again fails.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<[Key: (value: Value, until: ContinuousClock.Instant)]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// What is kept for `key`, and whether it is still within its time at `now`.
    func entry(_ key: Key, at now: ContinuousClock.Instant) -> (value: Value, fresh: Bool)? {
        entries.withLock { $0[key] }.map { ($0.value, $0.until > now) }
    }

    func store(_ value: Value, for key: Key, until: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[key] == nil { entries.removeAll(keepingCapacity: true) }
            entries[key] = (value, until)
        }
    }
}
