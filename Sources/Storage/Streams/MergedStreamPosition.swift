/// Where one writer of a stream stands, read at once.
public struct StreamProgress: Sendable, Hashable {
    /// The writer's persisted-up-to position.
    public var position: Int64
    /// Everything the writer allocated has committed or been abandoned, and no allocation is under way.
    public var idle: Bool
    /// Grows with every allocation and finish, so a reader can tell the writer did not move while it looked.
    public var changes: UInt64

    public init(position: Int64, idle: Bool, changes: UInt64) {
        self.position = position
        self.idle = idle
        self.changes = changes
    }
}

/// A writer whose progress a reader can merge with other writers'.
public protocol StreamProgressSource: AnyObject, Sendable {
    var progress: StreamProgress { get }
    /// Yields whenever the position advances or the writer becomes idle.
    func positions() -> AsyncStream<Int64>
}

extension StreamIDAllocator: StreamProgressSource {}

/// The persisted-up-to position of a stream written by several writers sharing one ID sequence (PostgreSQL):
/// every ID at or below it, whichever writer allocated it, has committed or been abandoned.
///
/// A busy writer holds the position at its own; an idle one does not hold it back, because whatever it allocates
/// next comes from the sequence above every ID handed out so far. For the same reason the position never goes back.
/// Each writer is read between two unchanged change counts, so the writers are seen as they stood at one instant.
/// Writers in other processes report through per-writer positions, which this does not cover yet.
public final class MergedStreamPosition: Sendable {
    private let sources: [any StreamProgressSource]
    private let state: Locked<State>
    private let listeners: Locked<[Task<Void, Never>]>

    private struct State {
        var position: Int64 = 0
        var observers: [UInt64: AsyncStream<Int64>.Continuation] = [:]
        var nextObserver: UInt64 = 0
    }

    public init(_ sources: [any StreamProgressSource]) {
        precondition(!sources.isEmpty, "a stream has at least one writer")
        self.sources = sources
        state = Locked(State())
        listeners = Locked([])
        _ = persistedUpTo
        let tasks = sources.map { source in
            Task { [weak self] in
                for await _ in source.positions() {
                    guard let self else { return }
                    self.refresh()
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

    /// The merged position, brought up to date with the writers now.
    public var persistedUpTo: Int64 {
        refresh()
    }

    /// The merged position now and after every advance; slow consumers see only the newest value.
    public func positions() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextObserver += 1
            state.observers[state.nextObserver] = continuation
            continuation.yield(state.position)
            return state.nextObserver
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
        }
        return stream
    }

    @discardableResult
    private func refresh() -> Int64 {
        let merged = Self.merge(consistentProgress())
        return state.withLock { state in
            guard merged > state.position else { return state.position }
            state.position = merged
            for observer in state.observers.values { observer.yield(merged) }
            return merged
        }
    }

    /// Every writer's progress, read until no writer changed between the first and the last look.
    private func consistentProgress() -> [StreamProgress] {
        while true {
            let first = sources.map(\.progress)
            let again = sources.map(\.progress.changes)
            if zip(first, again).allSatisfy({ $0.changes == $1 }) { return first }
        }
    }

    /// The lowest position of a busy writer, or the highest of all when every writer is idle.
    static func merge(_ progress: [StreamProgress]) -> Int64 {
        progress.filter { !$0.idle }.map(\.position).min() ?? progress.map(\.position).max() ?? 0
    }
}
