public import MatrixTypes
import Synchronization

/// Each device's one-time key counts and unused fallback key types, kept so that a `/sync` woken by a message reads
/// nothing: every response to a device carries them. Only a process through which every change passes may keep them
/// (the monolith: uploads, claims and device removals all run there); elsewhere the capacity is 0 and every read goes
/// to the database.
public final class KeyCountCache: Sendable {
    public typealias Counts = (oneTimeKeys: [String: Int64], unusedFallback: [String])

    private struct Key: Hashable {
        var user: UserID
        var device: [UInt8]
    }

    private struct State {
        var entries: [Key: Counts] = [:]
        /// Bumped by every change: counts read before a change began are not kept after it.
        var generation: UInt64 = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// Past `capacity` devices, the cache is emptied and filled again as devices sync.
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// The kept counts, or the generation to pass to `store` once they are read from the database.
    func counts(of user: UserID, device: String) -> (counts: Counts?, generation: UInt64) {
        state.withLock { ($0.entries[Key(user: user, device: Array(device.utf8))], $0.generation) }
    }

    /// Keeps counts read at `generation`, unless a change committed since.
    func store(_ counts: Counts, of user: UserID, device: String, readAt generation: UInt64) {
        guard capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[Key(user: user, device: Array(device.utf8))] = counts
        }
    }

    /// Forgets the devices' counts; called once a change to them has committed.
    func forget(_ user: UserID, devices: [String]) {
        guard capacity > 0 else { return }
        state.withLock { state in
            state.generation &+= 1
            for device in devices { state.entries[Key(user: user, device: Array(device.utf8))] = nil }
        }
    }
}
