import CoreMetrics
public import Logging
import Synchronization

/// A worker's view of streams other processes write: their notices for this process's consumers, and each durable
/// stream's persisted-up-to position as its writer announces it.
///
/// Messages arrive in the order each sender published them. A sender's numbering shows whether any were lost (a
/// dropped connection, a full queue, a restart of either side); when one was, the next `POSITION` of each durable
/// stream that sender writes is reached only after the rows in between are read from the database (`catchUp`) and
/// announced here, so a consumer never sees a position without the notices below it. Typing and presence notices
/// carry their whole row and need no catch-up.
///
/// Failure behaviour: `receive` never blocks; beyond `capacity` waiting messages the newest are dropped and every
/// stream is caught up again. A failed catch-up leaves the position where it was and is retried at the writer's next
/// `POSITION` (its heartbeat sends one every two seconds).
public final class StreamFollower: Sendable {
    /// Reads the notices of `stream` in `(after, upTo]` from the database, in position order.
    public typealias CatchUp = @Sendable (_ stream: StreamName, _ after: Int64, _ upTo: Int64) async throws -> [StreamNotice]

    private enum Input {
        case message(ReplicationMessage)
        case resubscribed
    }

    private struct State {
        var positions: [StreamName: Int64]
        /// The last message number seen from each sender in its current run.
        var senders: [String: (run: Int64, sequence: UInt64)] = [:]
        /// Durable streams whose next position must wait for a catch-up.
        var pending: Set<StreamName>
        var overflowed = false
        var lastHeard: [String: ContinuousClock.Instant] = [:]
        /// The newest position each stream's writer announced, and since when this process has been short of it.
        var announced: [StreamName: Int64] = [:]
        var behindSince: [StreamName: ContinuousClock.Instant] = [:]
        var observers: [UInt64: (stream: StreamName, continuation: AsyncStream<Int64>.Continuation)] = [:]
        var nextObserver: UInt64 = 0
    }

    /// Notices from other processes, for this process's notifier and in-memory copies.
    public let notices = InProcessBus()
    private let instance: String
    private let writers: [StreamName: String]
    private let logger: Logger
    private let state: Mutex<State>
    private let inbox: AsyncStream<Input>.Continuation
    private let input: AsyncStream<Input>
    private let worker: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Messages received before `start` wait for it (up to `capacity`).
    /// - Parameters:
    ///   - instance: this process's name; its own messages are ignored.
    ///   - writers: the durable streams followed and the instance that writes each.
    ///   - positions: where each followed stream stood in the database when this process started.
    public init(instance: String, writers: [StreamName: String], positions: [StreamName: Int64], capacity: Int = 10_000, logger: Logger) {
        precondition(writers.keys.allSatisfy(\.isDurable), "only durable streams have positions to follow")
        self.instance = instance
        self.writers = writers
        self.logger = logger
        state = Mutex(State(positions: positions, pending: Set(writers.keys)))
        (input, inbox) = AsyncStream.makeStream(of: Input.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Starts handling messages, reading what was missed with `catchUp` (which may read stores built over this
    /// follower's positions, hence after `init`).
    public func start(catchUp: @escaping CatchUp) {
        let input = input
        let task = Task { [weak self] in
            for await message in input {
                guard let self else { return }
                await self.process(message, catchUp: catchUp)
            }
        }
        worker.withLock { $0 = task }
    }

    deinit {
        worker.withLock { $0 }?.cancel()
        inbox.finish()
        state.withLock { state in
            for observer in state.observers.values { observer.continuation.finish() }
        }
    }

    /// A line from the channel, as received (malformed lines are ignored).
    public func receive(_ payload: [UInt8]) {
        guard let message = ReplicationMessage(String(decoding: payload, as: UTF8.self)) else {
            logger.debug("ignoring a malformed replication message")
            return
        }
        guard message.sender != instance else { return }
        if case .dropped = inbox.yield(.message(message)) { state.withLock { $0.overflowed = true } }
    }

    /// The subscription was (re)established: whatever was published meanwhile is lost to this process.
    public func resubscribed() {
        if case .dropped = inbox.yield(.resubscribed) { state.withLock { $0.overflowed = true } }
    }

    /// The persisted-up-to position of a followed stream.
    public func position(of stream: StreamName) -> Int64 {
        state.withLock { $0.positions[stream] ?? 0 }
    }

    /// The position of `stream` now and after every advance; slow consumers see only the newest value.
    public func positions(of stream: StreamName) -> AsyncStream<Int64> {
        let (positions, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextObserver += 1
            state.observers[state.nextObserver] = (stream, continuation)
            continuation.yield(state.positions[stream] ?? 0)
            return state.nextObserver
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
        }
        return positions
    }

    /// Returns once `stream` reaches `position` or `timeout` passes; whether it got there.
    public func waitUntil(_ stream: StreamName, reaches position: Int64, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await current in self.positions(of: stream) where current >= position { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let reached = await group.next() ?? false
            group.cancelAll()
            return reached
        }
    }

    /// The streams this process has not caught up with: how many positions short of what their writer announced, and
    /// for how long.
    public func lag(now: ContinuousClock.Instant = .now) -> [StreamName: (positions: Int64, for: Duration)] {
        state.withLock { state in
            var lag: [StreamName: (positions: Int64, for: Duration)] = [:]
            for (stream, since) in state.behindSince {
                lag[stream] = ((state.announced[stream] ?? 0) - (state.positions[stream] ?? 0), now - since)
            }
            return lag
        }
    }

    /// How long ago each writer of a followed stream was last heard from (`nil`: not since this process started).
    public func silence(now: ContinuousClock.Instant = .now) -> [String: Duration?] {
        state.withLock { state in
            Dictionary(Set(writers.values).map { ($0, state.lastHeard[$0].map { now - $0 }) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private func process(_ input: Input, catchUp: CatchUp) async {
        let overflowed = state.withLock { state in
            defer { state.overflowed = false }
            return state.overflowed
        }
        if overflowed {
            logger.warning("replication messages arrived faster than they were handled; catching up from the database")
            forgetSenders()
        }
        switch input {
        case .resubscribed:
            forgetSenders()
        case .message(let message):
            let duplicate = state.withLock { state -> Bool in
                state.lastHeard[message.sender] = .now
                let last = state.senders[message.sender]
                if let last, last.run == message.run, message.sequence <= last.sequence { return true }
                if last == nil || last?.run != message.run || message.sequence != (last?.sequence ?? 0) + 1 {
                    state.pending.formUnion(writers.filter { $0.value == message.sender }.keys)
                }
                state.senders[message.sender] = (message.run, message.sequence)
                if state.senders.count > Self.senderLimit { Self.forgetNonWriters(&state, writers: writers) }
                return false
            }
            guard !duplicate else { return }
            switch message.command {
            case .data(let notice):
                notices.publish(notice)
            case .position(let stream, let position):
                guard writers[stream] == message.sender else { return }
                await advance(stream, to: position, catchUp: catchUp)
            case .ping:
                break
            }
        }
    }

    /// Senders tracked at most (each process of the deployment is one); beyond it, only the writers are kept, so lines
    /// naming ever new senders cannot grow the follower without bound.
    public static let senderLimit = 1_000

    /// How many senders' numbering is being tracked now.
    public var trackedSenders: Int { state.withLock { $0.senders.count } }

    private static func forgetNonWriters(_ state: inout State, writers: [StreamName: String]) {
        let kept = Set(writers.values)
        state.senders = state.senders.filter { kept.contains($0.key) }
        state.lastHeard = state.lastHeard.filter { kept.contains($0.key) }
    }

    private func forgetSenders() {
        state.withLock { state in
            state.senders.removeAll()
            state.pending = Set(writers.keys)
        }
    }

    /// Moves `stream` to `position`, first announcing the rows in between when messages may have been missed.
    private func advance(_ stream: StreamName, to position: Int64, catchUp: CatchUp) async {
        let (from, pending) = state.withLock { state in
            let applied = state.positions[stream] ?? 0
            state.announced[stream] = max(state.announced[stream] ?? 0, position)
            if position > applied, state.behindSince[stream] == nil { state.behindSince[stream] = .now }
            return (applied, state.pending.contains(stream))
        }
        guard position > from || pending else { return }
        if pending, position > from {
            do {
                let missed = try await catchUp(stream, from, position)
                Counter(label: "axon_replication_catch_ups_total", dimensions: [("stream", stream.rawValue)]).increment()
                logger.info(
                    "caught up a replicated stream from the database",
                    metadata: ["stream": "\(stream.rawValue)", "after": "\(from)", "upTo": "\(position)", "notices": "\(missed.count)"]
                )
                for notice in missed { notices.publish(notice) }
            } catch {
                logger.warning(
                    "could not catch up a replicated stream; retrying at its next position",
                    metadata: ["stream": "\(stream.rawValue)", "error": "\(error)"]
                )
                return
            }
        }
        state.withLock { state in
            state.pending.remove(stream)
            if position >= (state.announced[stream] ?? 0) { state.behindSince[stream] = nil }
            guard position > (state.positions[stream] ?? 0) else { return }
            state.positions[stream] = position
            Gauge(label: "axon_stream_position", dimensions: [("stream", stream.rawValue)]).record(position)
            for observer in state.observers.values where observer.stream == stream { observer.continuation.yield(position) }
        }
    }
}
