import Logging
import NIOPosix
import Storage

/// Up to `maxConnections` libpq connections and as many threads to drive them.
///
/// A thread holds at most one connection while it runs a job and there are never more threads
/// than `maxConnections`, so checking out never waits: requests queue in the thread pool instead.
/// A connection found broken is reset on checkout and dropped on return, so a restarted server
/// costs the requests in flight, not the pool.
final class PostgresPool: Sendable {
    private struct State {
        var idle: [PostgresConnection]
        var closed = false
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

    /// Runs `body` with a connection on one of the pool's threads; its statements count as `use`.
    func withConnection<T: Sendable>(
        _ use: DatabaseCounters.Use, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        guard !isClosed else { throw StorageError.closed }
        let job = poolUse.queued()
        defer { job.end() }
        do {
            return try await threads.runIfActive { [self] in
                job.start()
                let connection = try checkout()
                connection.use = use
                defer { checkin(connection) }
                return try body(connection)
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
        guard let connection = try state.withLock({ state throws(StorageError) in
            guard !state.closed else { throw StorageError.closed }
            return state.idle.popLast()
        }) else {
            return try PostgresConnection(configuration: configuration, counters: counters)
        }
        let settled = (try? connection.settle()) != nil
        if !settled || !connection.isReusable {
            logger.info("resetting broken PostgreSQL connection", metadata: ["database": "\(configuration)"])
            try connection.reset()
        }
        return connection
    }

    private func checkin(_ connection: PostgresConnection) {
        guard connection.isReusable else {
            // Dropped: the next checkout that needs one opens a fresh connection.
            logger.info("dropping broken PostgreSQL connection", metadata: ["database": "\(configuration)"])
            return
        }
        state.withLock { $0.idle.append(connection) }
    }
}
