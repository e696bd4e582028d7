import CoreMetrics
public import Logging
public import MatrixTypes
import Synchronization

/// A worker's view of streams other processes write: their notices for this process's consumers, and each durable
/// stream's persisted-up-to position as its writers announce it. A stream several processes write (the events of
/// several persisters, sharing one ID sequence) stands at the lowest of its writers' positions: each writer's position
/// says none of its own IDs at or below it is still to commit, so below the lowest none of anyone's is. Each writer's
/// own position is kept too, for reads bounded per writer (a room's events, all from its owner).
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

    /// One writer of one stream.
    private struct WriterKey: Hashable {
        var stream: StreamName
        var writer: String
    }

    private struct State {
        /// Each stream's position: the lowest of its writers' (several processes may share one ID sequence).
        var positions: [StreamName: Int64]
        /// Where each writer of each stream stands, as far as this process has applied it.
        var writerPositions: [WriterKey: Int64]
        /// The last message number seen from each sender in its current run.
        var senders: [String: (run: Int64, sequence: UInt64)] = [:]
        /// Writers whose next position must wait for a catch-up.
        var pending: Set<WriterKey>
        var overflowed = false
        var lastHeard: [String: ContinuousClock.Instant] = [:]
        /// The newest position each writer announced, and since when this process has been short of a stream's.
        var announced: [WriterKey: Int64] = [:]
        var behindSince: [StreamName: ContinuousClock.Instant] = [:]
        /// Consumers of a stream's position (`writer` nil) or of one writer's.
        var observers: [UInt64: (stream: StreamName, writer: String?, continuation: AsyncStream<Int64>.Continuation)] = [:]
        var nextObserver: UInt64 = 0
    }

    /// Notices from other processes, for this process's notifier and in-memory copies.
    public let notices = InProcessBus()
    private let serverUpHandlers = Mutex<[@Sendable (ServerName) -> Void]>([])

    /// Calls `handler` with each server another process announces it heard from (`REMOTE_SERVER_UP`).
    public func onRemoteServerUp(_ handler: @escaping @Sendable (ServerName) -> Void) {
        serverUpHandlers.withLock { $0.append(handler) }
    }
    private let instance: String
    private let writers: [StreamName: [String]]
    private let writerKeys: Set<WriterKey>
    private let onWriterPosition: (@Sendable (StreamName, String, Int64) -> Void)?
    private let logger: Logger
    private let state: Mutex<State>
    private let inbox: AsyncStream<Input>.Continuation
    private let input: AsyncStream<Input>
    private let worker: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Messages received before `start` wait for it (up to `capacity`).
    /// - Parameters:
    ///   - instance: this process's name; its own messages are ignored.
    ///   - writers: the durable streams followed and the instances that write each (other than this one).
    ///   - positions: where each writer of each followed stream stood in the database when this process started.
    ///   - onWriterPosition: told every position a writer announces, as it arrives (a writer sharing a stream with
    ///     them moves its own position along; see `StreamIDAllocator.observe`).
    public init(
        instance: String, writers: [StreamName: [String]], positions: [StreamName: [String: Int64]], capacity: Int = 10_000,
        onWriterPosition: (@Sendable (StreamName, String, Int64) -> Void)? = nil, logger: Logger
    ) {
        precondition(writers.keys.allSatisfy(\.isDurable), "only durable streams have positions to follow")
        precondition(writers.allSatisfy { !$0.value.isEmpty && !$0.value.contains(instance) }, "a stream followed has writers, other than this process")
        self.instance = instance
        self.writers = writers
        self.onWriterPosition = onWriterPosition
        self.logger = logger
        let keys = Set(writers.flatMap { stream, names in names.map { WriterKey(stream: stream, writer: $0) } })
        writerKeys = keys
        var writerPositions: [WriterKey: Int64] = [:]
        for key in keys { writerPositions[key] = positions[key.stream]?[key.writer] ?? 0 }
        var merged: [StreamName: Int64] = [:]
        for stream in writers.keys { merged[stream] = Self.lowest(of: stream, in: writerPositions) }
        state = Mutex(State(positions: merged, writerPositions: writerPositions, pending: keys))
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

    /// The persisted-up-to position of a followed stream: every writer has reached it.
    public func position(of stream: StreamName) -> Int64 {
        state.withLock { $0.positions[stream] ?? 0 }
    }

    /// Where one writer of a followed stream stands, as far as this process has applied it.
    public func position(of stream: StreamName, writer: String) -> Int64 {
        state.withLock { $0.writerPositions[WriterKey(stream: stream, writer: writer)] ?? 0 }
    }

    /// The position of `stream` (or of its `writer` alone) now and after every advance; slow consumers see only the
    /// newest value.
    public func positions(of stream: StreamName, writer: String? = nil) -> AsyncStream<Int64> {
        let (positions, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextObserver += 1
            state.observers[state.nextObserver] = (stream, writer, continuation)
            let now = writer.map { state.writerPositions[WriterKey(stream: stream, writer: $0)] ?? 0 } ?? state.positions[stream] ?? 0
            continuation.yield(now)
            return state.nextObserver
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
        }
        return positions
    }

    /// Returns once `stream` (or its `writer` alone) reaches `position` or `timeout` passes; whether it got there.
    public func waitUntil(_ stream: StreamName, writer: String? = nil, reaches position: Int64, timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await current in self.positions(of: stream, writer: writer) where current >= position { return true }
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
                let short = state.announced.filter { $0.key.stream == stream }.map { key, announced in announced - (state.writerPositions[key] ?? 0) }
                lag[stream] = (short.max() ?? 0, now - since)
            }
            return lag
        }
    }

    /// How long ago each writer of a followed stream was last heard from (`nil`: not since this process started).
    public func silence(now: ContinuousClock.Instant = .now) -> [String: Duration?] {
        state.withLock { state in
            Dictionary(Set(writerKeys.map(\.writer)).map { ($0, state.lastHeard[$0].map { now - $0 }) }, uniquingKeysWith: { first, _ in first })
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
                    state.pending.formUnion(writerKeys.filter { $0.writer == message.sender })
                }
                state.senders[message.sender] = (message.run, message.sequence)
                if state.senders.count > Self.senderLimit { Self.forgetNonWriters(&state, writers: Set(writerKeys.map(\.writer))) }
                return false
            }
            guard !duplicate else { return }
            switch message.command {
            case .data(let notice):
                notices.publish(notice)
            case .position(let stream, let position):
                let key = WriterKey(stream: stream, writer: message.sender)
                guard writerKeys.contains(key) else { return }
                onWriterPosition?(stream, message.sender, position)
                await advance(key, to: position, catchUp: catchUp)
            case .ping:
                break
            case .remoteServerUp(let server):
                for handler in serverUpHandlers.withLock({ $0 }) { handler(server) }
            }
        }
    }

    /// Senders tracked at most (each process of the deployment is one); beyond it, only the writers are kept, so lines
    /// naming ever new senders cannot grow the follower without bound.
    public static let senderLimit = 1_000

    /// How many senders' numbering is being tracked now.
    public var trackedSenders: Int { state.withLock { $0.senders.count } }

    private static func forgetNonWriters(_ state: inout State, writers kept: Set<String>) {
        state.senders = state.senders.filter { kept.contains($0.key) }
        state.lastHeard = state.lastHeard.filter { kept.contains($0.key) }
    }

    private func forgetSenders() {
        state.withLock { state in
            state.senders.removeAll()
            state.pending = writerKeys
        }
    }

    /// Moves one writer of a stream to `position`, first announcing the rows in between when messages may have been
    /// missed; the stream moves when its lowest writer does.
    private func advance(_ key: WriterKey, to position: Int64, catchUp: CatchUp) async {
        let stream = key.stream
        let (from, pending) = state.withLock { state in
            let applied = state.writerPositions[key] ?? 0
            state.announced[key] = max(state.announced[key] ?? 0, position)
            if position > applied, state.behindSince[stream] == nil { state.behindSince[stream] = .now }
            return (applied, state.pending.contains(key))
        }
        guard position > from || pending else { return }
        if pending, position > from {
            do {
                let missed = try await catchUp(stream, from, position)
                Counter(label: "axon_replication_catch_ups_total", dimensions: [("stream", stream.rawValue)]).increment()
                logger.info(
                    "caught up a replicated stream from the database",
                    metadata: [
                        "stream": "\(stream.rawValue)", "writer": "\(key.writer)", "after": "\(from)", "upTo": "\(position)",
                        "notices": "\(missed.count)",
                    ]
                )
                for notice in missed { notices.publish(notice) }
            } catch {
                logger.warning(
                    "could not catch up a replicated stream; retrying at its next position",
                    metadata: ["stream": "\(stream.rawValue)", "writer": "\(key.writer)", "error": "\(error)"]
                )
                return
            }
        }
        state.withLock { state in
            state.pending.remove(key)
            let applied = state.writerPositions[key] ?? 0
            state.writerPositions[key] = max(applied, position)
            if position > applied {
                for observer in state.observers.values where observer.stream == stream && observer.writer == key.writer {
                    observer.continuation.yield(position)
                }
            }
            let caughtUp = state.announced.allSatisfy { $0.key.stream != stream || $0.value <= (state.writerPositions[$0.key] ?? 0) }
            if caughtUp { state.behindSince[stream] = nil }
            let merged = Self.lowest(of: stream, in: state.writerPositions)
            guard merged > (state.positions[stream] ?? 0) else { return }
            state.positions[stream] = merged
            Gauge(label: "axon_stream_position", dimensions: [("stream", stream.rawValue)]).record(merged)
            for observer in state.observers.values where observer.stream == stream && observer.writer == nil {
                observer.continuation.yield(merged)
            }
        }
    }

    private static func lowest(of stream: StreamName, in positions: [WriterKey: Int64]) -> Int64 {
        positions.filter { $0.key.stream == stream }.map(\.value).min() ?? 0
    }
}
