import Storage
import Synchronization

/// Identical reads in flight at the same time share one database read. A message wakes every member's long-poll at
/// once, and each asks for the same few state slots at the same events: one read answers them all instead of one
/// per member queueing for the reader connections. Nothing is kept once the read is answered.
final class SharedReads<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let inFlight = Mutex<[Key: Task<Value, any Error>]>([:])

    /// The value of the read in flight for `key`, or of `read` started now. A waiter that is cancelled stops
    /// waiting; the read goes on for the others.
    func value(for key: Key, read: @escaping @Sendable () async throws(RoomStoreError) -> Value) async throws(RoomStoreError) -> Value {
        let task = inFlight.withLock { reads in
            if let running = reads[key] { return running }
            // The read removes itself once answered; it starts after this lock is released, so it is in the map by then.
            let task = Task { () async throws -> Value in
                defer { self.inFlight.withLock { reads in reads[key] = nil } }
                return try await read()
            }
            reads[key] = task
            return task
        }
        return try await RoomStoreError.catching { try await task.value }
    }
}
