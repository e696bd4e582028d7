public import MatrixTypes
import Synchronization

/// Where each events writer stands as this process knows it: its own store's position for the rooms it writes, and
/// what replication announced for the others'. What `/sync` and room reads bound each room's events by.
public final class EventWriterPositions: Sendable {
    /// One writer, as this process learns its persisted-up-to position.
    public struct Writer: Sendable {
        let read: @Sendable () -> Int64
        let advances: AsyncStream<Int64>

        /// `read` gives the position now; `advances` yields whenever it moves.
        public init(read: @escaping @Sendable () -> Int64, advances: AsyncStream<Int64>) {
            self.read = read
            self.advances = advances
        }
    }

    private struct State {
        var observers: [UInt64: AsyncStream<EventPositions>.Continuation] = [:]
        var nextObserver: UInt64 = 0
    }

    public let ownership: RoomOwnership
    private let writers: [Writer]
    private let state = Mutex(State())
    private let listeners: Mutex<[Task<Void, Never>]> = Mutex([])

    /// `writers` in the order of `ownership.writers`.
    public init(ownership: RoomOwnership, writers: [Writer]) {
        precondition(writers.count == ownership.writers.count, "one source per events writer")
        self.ownership = ownership
        self.writers = writers
        let tasks = writers.map { writer in
            Task { [weak self] in
                for await _ in writer.advances {
                    guard let self else { return }
                    self.announce()
                }
            }
        }
        listeners.withLock { $0 = tasks }
    }

    deinit {
        for task in listeners.withLock({ $0 }) { task.cancel() }
        state.withLock { state in
            for observer in state.observers.values { observer.finish() }
        }
    }

    /// Every writer's position now.
    public var current: EventPositions {
        EventPositions(writers: writers.map { $0.read() }, tag: ownership.tag)
    }

    /// Every position up to which each writer has committed (the lowest writer's).
    public var persistedUpTo: Int64 {
        current.minimum
    }

    /// How far `roomID`'s events are committed: its owner's position.
    public func persistedUpTo(in roomID: RoomID) -> Int64 {
        writers[ownership.index(of: roomID)].read()
    }

    /// The positions now and after any writer advances; slow consumers see only the newest value.
    public func advances() -> AsyncStream<EventPositions> {
        let (stream, continuation) = AsyncStream.makeStream(of: EventPositions.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextObserver += 1
            state.observers[state.nextObserver] = continuation
            return state.nextObserver
        }
        continuation.yield(current)
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
        }
        return stream
    }

    private func announce() {
        let now = current
        state.withLock { state in
            for observer in state.observers.values { observer.yield(now) }
        }
    }
}
