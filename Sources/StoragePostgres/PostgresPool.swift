import Logging
import NIOPosix
import Storage

/// Up to `maxConnections` libpq connections and as many threads to drive them.
///
/// A thread holds at most one connection while it runs a job and there are never more threads
/// than `maxConnections`, so checking out never waits: requests queue in the thread pool instead.
/// A connection found broken is dropped on return, and every idle connection opened before it is reset before its
/// next use (a restarted server cut them all, though none shows it until used); a read that failed on a broken
/// connection runs once more on a sound one. So a restarted server costs at most the writes in flight, not the pool.
final class PostgresPool: Sendable {
    private struct State {
        var idle: [PostgresConnection]
        var closed = false
        /// Bumped when a connection is found broken; idle connections from an older generation are reset on checkout.
        var generation = 0
    }

    let configuration: PostgresConfiguration
    private let counters: DatabaseCounters
    private let poolUse = PoolUse(engine: .postgres)
    private let threads: NIOThreadPool
    private let state: Locked<State>
    private let logger: Logger

    private init(
        configuration: PostgresConfiguration, counters: DatabaseCounters, threads: NIOThreadPool, idle: [PostgresConnection], logger: Logger
    ) {
        self.configuration = configuration
        self.counters = counters
        self.threads = threads
        self.state = Locked(State(idle: idle))
        self.logger = logger
    }

    /// Starts `maxConnections` threads and opens `minConnections` connections (at least one, so bad credentials or an
    /// unreachable server fail here rather than on the first request).
    static func open(
        configuration: PostgresConfiguration, minConnections: Int, maxConnections: Int, counters: DatabaseCounters, logger: Logger
    ) async throws(StorageError) -> PostgresPool {
        precondition(maxConnections > 0, "cp_max must be at least 1")
        let threads = NIOThreadPool(numberOfThreads: maxConnections)
        threads.start()
        let initial = min(max(minConnections, 1), maxConnections)
        do {
            let idle = try await threads.runIfActive {
                try (0..<initial).map { _ throws(StorageError) in try PostgresConnection(configuration: configuration, counters: counters) }
            }
            return PostgresPool(configuration: configuration, counters: counters, threads: threads, idle: idle, logger: logger)
        } catch {
            try? await threads.shutdownGracefully()
            throw error as? StorageError ?? .connectionFailed(reason: "\(error)")
        }
    }

    /// Runs `body` with a connection on one of the pool's threads; its statements count as `use`. A read (`use` is
    /// `.read`) that fails because its connection broke runs once more on another: reads change nothing, so a retry is
    /// safe, and the client never sees the restart of the server as an error.
    func withConnection<T: Sendable>(
        _ use: DatabaseCounters.Use, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        guard !isClosed else { throw StorageError.closed }
        let job = poolUse.queued()
        defer { job.end() }
        do {
            return try await threads.runIfActive { [self] in
                job.start()
                var attempt = 1
                while true {
                    let connection = try checkout()
                    connection.use = use
                    do {
                        defer { checkin(connection) }
                        return try body(connection)
                    } catch {
                        guard use == .read, attempt == 1, connection.isBroken else { throw error }
                        logger.info("retrying a read on a fresh connection after the server cut one", metadata: ["database": "\(configuration)"])
                        attempt += 1
                    }
                }
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw StorageError.closed
        } catch is CancellationError where isClosed {
            // A stopping thread pool cancels the work still queued on it.
            throw StorageError.closed
        }
    }

    private var isClosed: Bool {
        state.withLock { $0.closed }
    }

    /// Stops the threads once queued work has run, then closes every connection.
    func close() async {
        state.withLock { $0.closed = true }
        try? await threads.shutdownGracefully()
        state.withLock { $0.idle.removeAll() }
    }

    /// Last-resort shutdown for a database dropped without `close()`.
    func abandon() {
        threads.shutdownGracefully { _ in }
    }

    private func checkout() throws(StorageError) -> PostgresConnection {
        guard let (connection, generation) = try state.withLock({ state throws(StorageError) in
            guard !state.closed else { throw StorageError.closed }
            return state.idle.popLast().map { ($0, state.generation) }
        }) else {
            let connection = try PostgresConnection(configuration: configuration, counters: counters)
            connection.generation = state.withLock { $0.generation }
            return connection
        }
        let settled = (try? connection.settle()) != nil
        if !settled || !connection.isReusable || connection.generation < generation {
            logger.info("resetting PostgreSQL connection", metadata: ["database": "\(configuration)"])
            try connection.reset()
            connection.generation = generation
        }
        return connection
    }

    private func checkin(_ connection: PostgresConnection) {
        guard connection.isReusable else {
            // Dropped: the next checkout that needs one opens a fresh connection. A broken one means the others, idle
            // since before, are likely cut too: they are reset before their next use.
            logger.info("dropping broken PostgreSQL connection", metadata: ["database": "\(configuration)"])
            if connection.isBroken { state.withLock { $0.generation += 1 } }
            return
        }
        state.withLock { $0.idle.append(connection) }
    }
}
