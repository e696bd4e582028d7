import Synchronization

/// NIDs (or other numbers fixed for good, such as an event's state group) of values already committed. An interned
/// value keeps its NID for good, so a hit needs no query; only committed rows are remembered, never what a transaction
/// still open wrote (it may roll back). Beyond `capacity` values it forgets them all and fills again.
final class InternedIDCache<Key: Hashable & Sendable>: Sendable {
    private let entries = Mutex<[Key: Int64]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The NIDs known for `keys`, and the keys still to look up.
    private func split(_ keys: some Sequence<Key>) -> (known: [Key: Int64], missing: [Key]) {
        entries.withLock { entries in
            var known: [Key: Int64] = [:]
            var missing: [Key] = []
            for key in keys {
                if let nid = entries[key] { known[key] = nid } else { missing.append(key) }
            }
            return (known, missing)
        }
    }

    /// The NID of `key`, if remembered.
    func known(_ key: Key) -> Int64? {
        entries.withLock { $0[key] }
    }

    /// Records NIDs of committed rows.
    func remember(_ found: [Key: Int64]) {
        guard !found.isEmpty else { return }
        entries.withLock { entries in
            if entries.count + found.count > capacity { entries.removeAll(keepingCapacity: true) }
            entries.merge(found) { _, new in new }
        }
    }

    /// The NIDs of those of `keys` that are interned: cached ones from memory, the rest from `lookUp` (and remembered).
    func find<Failure: Error>(
        _ keys: some Sequence<Key>, lookUp: ([Key]) throws(Failure) -> [Key: Int64]
    ) throws(Failure) -> [Key: Int64] {
        var (known, missing) = split(keys)
        guard !missing.isEmpty else { return known }
        let found = try lookUp(missing)
        remember(found)
        known.merge(found) { _, new in new }
        return known
    }

    /// The NID of `key`: from memory, else from `lookUp` (and remembered when found).
    func nid<Failure: Error>(_ key: Key, lookUp: () throws(Failure) -> Int64?) throws(Failure) -> Int64? {
        if let known = entries.withLock({ $0[key] }) { return known }
        guard let found = try lookUp() else { return nil }
        remember([key: found])
        return found
    }
}
