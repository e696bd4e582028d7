public import Logging

/// Allocates stream positions for one writer instance of one stream and publishes its
/// persisted-up-to position (design §3).
///
/// ```swift
/// let receipts = try await StreamIDAllocator.open(stream: "receipts", instance: "main", database: db)
/// let (_, id) = try await receipts.write { txn, id in
///     try txn.execute("INSERT INTO receipts (stream_id, …) VALUES (?, …)", [.integer(id), …])
/// }
/// for await position in receipts.positions() { … }   // notifiers key on this
/// ```
///
/// IDs are allocated inside the write transaction. On PostgreSQL they come from one sequence per
/// stream (`axon_stream_<name>`), so several processes can write a stream, each as its own
/// instance with its own position. On SQLite they come from an in-memory counter seeded from
/// `stream_positions`, which the single writer keeps exact in the same transaction as the rows;
/// open one allocator per stream per process. On PostgreSQL `stream_positions` is updated
/// shortly after the position advances, outside the writers' transactions (a hot row updated
/// by every transaction would serialise them).
public final class StreamIDAllocator: Sendable {
    public let stream: String
    public let instance: String
    private let database: any Database
    private let logger: Logger
    private let state: Locked<State>

    private struct State {
        var tracker: StreamPositionTracker
        var observers: [UInt64: AsyncStream<Int64>.Continuation] = [:]
        var nextObserver: UInt64 = 0
        /// The position last written to `stream_positions` (PostgreSQL's deferred updates).
        var recorded: Int64
        var recording = false
    }

    private var sequenceName: String { "axon_stream_\(stream)" }

    private init(stream: String, instance: String, database: any Database, logger: Logger, position: Int64, lastAllocated: Int64) {
        self.stream = stream
        self.instance = instance
        self.database = database
        self.logger = logger
        self.state = Locked(
            State(tracker: StreamPositionTracker(position: position, lastAllocated: lastAllocated), recorded: position)
        )
    }

    deinit {
        state.withLock { state in
            for observer in state.observers.values {
                observer.finish()
            }
        }
    }

    /// Opens the allocator, resuming from what the database records.
    ///
    /// - Parameters:
    ///   - stream: lower-case letters, digits and `_` (it names a PostgreSQL sequence).
    ///   - instance: the writer's worker name (`"main"` in a monolith).
    public static func open(
        stream: String,
        instance: String,
        database: any Database,
        logger: Logger = Logger(label: "axon.storage.streams")
    ) async throws -> StreamIDAllocator {
        precondition(isValidStreamName(stream), "stream names are lower-case letters, digits and '_': \(stream)")
        let (position, lastAllocated) = try await database.write { transaction in
            switch transaction.dialect {
            case .sqlite: try loadCounter(stream: stream, instance: instance, in: transaction)
            case .postgres: try prepareSequence(stream: stream, instance: instance, in: transaction)
            }
        }
        return StreamIDAllocator(
            stream: stream, instance: instance, database: database, logger: logger,
            position: position, lastAllocated: lastAllocated
        )
    }

    /// Every ID this writer allocated up to here has committed or been abandoned; no row at or
    /// below it can still appear.
    public var persistedUpTo: Int64 {
        state.withLock { $0.tracker.position }
    }

    /// The highest ID this writer has handed out: once `persistedUpTo` reaches it, everything written so far is readable.
    public var allocatedUpTo: Int64 {
        state.withLock { $0.tracker.lastAllocated }
    }

    /// The highest ID any writer of the stream has been given, read from the database on PostgreSQL (where other
    /// processes share the sequence): a stream position above it names rows that can never exist.
    public func maxAllocated() async throws -> Int64 {
        switch database.dialect {
        case .sqlite: state.withLock { $0.tracker.lastAllocated }
        case .postgres: try await Self.maxAllocated(stream: stream, database: database)
        }
    }

    /// The highest ID any writer of `stream` has been given, for a process that writes none: from the sequence on
    /// PostgreSQL, from the recorded positions on SQLite (whose single writer keeps them exact).
    public static func maxAllocated(stream: String, database: any Database) async throws -> Int64 {
        try await database.read { connection in
            switch connection.dialect {
            case .sqlite:
                try connection.queryValue(
                    "SELECT COALESCE(MAX(position), 0) FROM stream_positions WHERE stream_name = ?", [.text(stream)], as: Int64.self
                )
            case .postgres:
                try connection.queryValue(
                    "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM axon_stream_\(stream)", as: Int64.self
                )
            }
        }
    }

    /// The highest ID handed out on each of `streams` (PostgreSQL, where writers share a sequence per stream), in one read:
    /// where a follower must get to see everything written so far.
    public static func maxAllocated(streams: [String], database: any Database) async throws -> [String: Int64] {
        precondition(database.dialect == .postgres, "followers run on PostgreSQL")
        precondition(streams.allSatisfy(isValidStreamName), "stream names are lower-case letters, digits and '_'")
        let columns = streams.map { "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM axon_stream_\($0)) AS \($0)" }
        return try await database.readStatement { connection in
            guard let row = try connection.queryOne("SELECT " + columns.joined(separator: ", ")) else { return [:] }
            var positions: [String: Int64] = [:]
            for stream in streams { positions[stream] = try row.decode(stream, as: Int64.self) }
            return positions
        }
    }

    /// The position `instance` last recorded for `stream` (0 when none): where a process following that writer starts.
    /// On PostgreSQL it may trail the writer's by the moments its deferred update takes, which only means a follower
    /// starts a little early.
    public static func recordedPosition(stream: String, instance: String, database: any Database) async throws -> Int64 {
        try await database.read { connection in
            try connection.queryValue(
                "SELECT COALESCE(MAX(position), 0) FROM stream_positions WHERE stream_name = ? AND instance_name = ?",
                [.text(stream), .text(instance)], as: Int64.self
            )
        }
    }

    /// Runs `body` in one write transaction with a freshly allocated stream ID. The ID counts as
    /// persisted once the transaction commits, or as a permanent hole if it rolls back.
    ///
    /// - Returns: `body`'s result and the ID it wrote at.
    @discardableResult
    public func write<T: Sendable>(
        _ body: @escaping @Sendable (any Transaction, Int64) throws -> T
    ) async throws -> (T, Int64) {
        let (value, ids) = try await write(count: 1) { transaction, ids in
            try body(transaction, ids[0])
        }
        return (value, ids[0])
    }

    /// Like `write(_:)` with `count` IDs in ascending order, for batches (an event persister
    /// writing several events in one transaction).
    ///
    /// `isCommitted` looks the IDs up in what `body` writes. When the commit itself fails its outcome is unknown
    /// (the acknowledgement of a commit that happened can be lost with the connection): the IDs then stay in flight,
    /// holding the position back, until the lookup says whether they committed, rather than being taken for holes
    /// (which on SQLite would let a restarted writer hand them out again).
    ///
    /// `onCommit` runs once the IDs are known to have committed and before the position may pass them, so a
    /// notice it publishes reaches readers no later than the position does.
    @discardableResult
    public func write<T: Sendable>(
        count: Int,
        isCommitted: (@Sendable (any Connection, [Int64]) throws -> Bool)? = nil,
        onCommit: (@Sendable ([Int64]) -> Void)? = nil,
        _ body: @escaping @Sendable (any Transaction, [Int64]) throws -> T
    ) async throws -> (T, [Int64]) {
        precondition(count > 0, "a write allocates at least one stream ID")
        let allocated = Locked<[Int64]>([])
        let bodyDone = Locked(false)
        do {
            let value = try await database.write { transaction in
                let ids = try self.allocate(count, in: transaction)
                allocated.withLock { $0 = ids }
                let value = try body(transaction, ids)
                if transaction.dialect == .sqlite, let last = ids.last {
                    try self.recordPosition(last, in: transaction)
                }
                bodyDone.withLock { $0 = true }
                return value
            }
            let ids = allocated.withLock { $0 }
            onCommit?(ids)
            finish(ids, committed: true)
            return (value, ids)
        } catch {
            let ids = allocated.withLock { $0 }
            if let isCommitted, !ids.isEmpty, bodyDone.withLock({ $0 }) {
                Task { await self.settle(ids, isCommitted: isCommitted, onCommit: onCommit) }
            } else {
                finish(ids, committed: false)
            }
            throw error
        }
    }

    /// Finishes IDs whose commit may or may not have happened once the database answers whether it did, retrying
    /// while it cannot be reached.
    private func settle(
        _ ids: [Int64], isCommitted: @escaping @Sendable (any Connection, [Int64]) throws -> Bool,
        onCommit: (@Sendable ([Int64]) -> Void)?
    ) async {
        var delay = Duration.milliseconds(50)
        while true {
            do {
                let committed = try await database.read { connection in try isCommitted(connection, ids) }
                if committed { onCommit?(ids) }
                finish(ids, committed: committed)
                if committed {
                    logger.warning("a commit reported as failed had happened", metadata: ["stream": "\(stream)", "ids": "\(ids)"])
                }
                return
            } catch {
                if (error as? StorageError) == .closed { return }
                logger.warning("could not check whether a commit happened", metadata: ["stream": "\(stream)", "error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// The persisted-up-to position now and after every advance. Slow consumers only see the
    /// newest value; positions never go backwards.
    public func positions() -> AsyncStream<Int64> {
        let (stream, continuation) = AsyncStream.makeStream(of: Int64.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextObserver += 1
            state.observers[state.nextObserver] = continuation
            continuation.yield(state.tracker.position)
            return state.nextObserver
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.observers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Waits until `persistedUpTo` reaches `position` (read-your-writes).
    /// - Returns: `false` if the task was cancelled first.
    @discardableResult
    public func waitUntilPersisted(_ position: Int64) async -> Bool {
        for await current in positions() where current >= position {
            return true
        }
        return false
    }

    private func allocate(_ count: Int, in transaction: any Transaction) throws -> [Int64] {
        switch transaction.dialect {
        case .sqlite:
            return state.withLock { $0.tracker.allocateFromCounter(count) }
        case .postgres:
            let token = state.withLock { $0.tracker.beginAllocation() }
            do {
                let ids = try transaction.query(
                    "SELECT nextval('\(sequenceName)') AS id FROM generate_series(1, ?)",
                    [.integer(Int64(count))]
                ).map { row throws(StorageError) in try row.decode(0, as: Int64.self) }.sorted()
                state.withLock { $0.tracker.completeAllocation(token, ids: ids) }
                return ids
            } catch {
                state.withLock { state in
                    if state.tracker.cancelAllocation(token) || state.tracker.isIdle { publish(&state) }
                }
                throw error
            }
        }
    }

    private func finish(_ ids: [Int64], committed: Bool) {
        guard !ids.isEmpty else { return }
        let record = state.withLock { state in
            let advanced = state.tracker.finish(ids, committed: committed)
            // Becoming idle matters too: a merged position stops waiting on this writer.
            guard advanced || state.tracker.isIdle else { return false }
            publish(&state)
            return advanced && startRecording(&state)
        }
        if record {
            Task { await recordPositions() }
        }
    }

    /// Another writer of this stream (another process sharing the PostgreSQL sequence) announced `position`; once this
    /// writer has nothing unfinished its own position follows, so the lowest position over all writers keeps moving.
    public func observe(otherWriterAt position: Int64) {
        let record = state.withLock { state in
            guard state.tracker.observe(position) else { return false }
            publish(&state)
            return startRecording(&state)
        }
        if record {
            Task { await recordPositions() }
        }
    }

    /// Tells every observer the position (new, or unchanged with the writer now idle); runs under the lock so
    /// observers see positions in order.
    private func publish(_ state: inout State) {
        for observer in state.observers.values {
            observer.yield(state.tracker.position)
        }
    }

    /// Whether the caller should start the deferred `stream_positions` update (PostgreSQL only;
    /// one runs at a time and picks up advances made while it ran).
    private func startRecording(_ state: inout State) -> Bool {
        guard database.dialect == .postgres, !state.recording, state.recorded < state.tracker.position else {
            return false
        }
        state.recording = true
        return true
    }

    private func recordPositions() async {
        while true {
            let target = state.withLock { $0.tracker.position }
            do {
                try await database.write { transaction in
                    try self.recordPosition(target, in: transaction)
                }
            } catch {
                // The next advance retries; the sequence, not this row, guards against reuse.
                if (error as? StorageError) != .closed {
                    logger.warning(
                        "could not record stream position",
                        metadata: ["stream": "\(stream)", "position": "\(target)", "error": "\(error)"]
                    )
                }
                state.withLock { $0.recording = false }
                return
            }
            let done = state.withLock { state in
                state.recorded = max(state.recorded, target)
                if state.recorded >= state.tracker.position {
                    state.recording = false
                    return true
                }
                return false
            }
            if done { return }
        }
    }

    private func recordPosition(_ position: Int64, in transaction: any Transaction) throws {
        let greatest = transaction.dialect.greatest("stream_positions.position", "excluded.position")
        try transaction.execute(
            """
            INSERT INTO stream_positions (stream_name, instance_name, position) VALUES (?, ?, ?)
            ON CONFLICT (stream_name, instance_name) DO UPDATE SET position = \(greatest)
            """,
            [.text(stream), .text(instance), .integer(position)]
        )
    }

    private static func isValidStreamName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.utf8.count <= 48 else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// SQLite: this instance resumes at its recorded position; the counter resumes above every
    /// instance's, so no ID is handed out twice even if the instance name changed.
    private static func loadCounter(stream: String, instance: String, in transaction: any Transaction) throws -> (Int64, Int64) {
        let rows = try transaction.query(
            "SELECT instance_name, position FROM stream_positions WHERE stream_name = ?",
            [.text(stream)]
        )
        var own: Int64 = 0
        var highest: Int64 = 0
        for row in rows {
            let position: Int64 = try row.decode("position")
            highest = max(highest, position)
            if try row.decode("instance_name", as: String.self) == instance {
                own = position
            }
        }
        return (own, highest)
    }

    /// PostgreSQL: creates the stream's sequence on first use (under an advisory lock, so two
    /// processes opening together do not race) and never lets it fall behind a recorded position.
    ///
    /// A freshly started instance has nothing in flight, so every ID the sequence has handed out
    /// to it before has committed or is a permanent hole: its position resumes at the sequence's
    /// last value.
    private static func prepareSequence(stream: String, instance: String, in transaction: any Transaction) throws -> (Int64, Int64) {
        let sequence = "axon_stream_\(stream)"
        _ = try transaction.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [.text("axon_stream:" + stream)])
        let highest = try transaction.queryValue(
            "SELECT COALESCE(MAX(position), 0) FROM stream_positions WHERE stream_name = ?",
            [.text(stream)],
            as: Int64.self
        )
        try transaction.executeScript("CREATE SEQUENCE IF NOT EXISTS \(sequence) START WITH \(highest + 1) MINVALUE 1")
        let issued = try transaction.queryValue(
            "SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM \(sequence)",
            as: Int64.self
        )
        if issued < highest {
            _ = try transaction.query("SELECT setval(?, ?)", [.text(sequence), .integer(highest)])
        }
        let last = max(issued, highest)
        return (last, last)
    }
}
