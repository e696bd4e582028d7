import NIOPosix
import Storage

/// Reader connections, each reading a WAL snapshot while the writer keeps writing.
///
/// There are as many connections as reader threads and a thread holds at most one connection at
/// a time, so a checkout never waits; queueing happens in the thread pool.
final class SQLiteReaderPool: Sendable {
    private let threads: NIOThreadPool
    private let idle: Locked<[SQLiteConnection]>
    private let closed = Locked(false)

    private init(threads: NIOThreadPool, connections: [SQLiteConnection]) {
        self.threads = threads
        self.idle = Locked(connections)
    }

    static func open(path: String, count: Int, busyTimeoutMilliseconds: Int32, counters: DatabaseCounters) async throws -> SQLiteReaderPool {
        let threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
        do {
            let connections = try await threads.runIfActive {
                try (0..<count).map { _ throws(StorageError) in
                    try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: busyTimeoutMilliseconds, counters: counters)
                }
            }
            return SQLiteReaderPool(threads: threads, connections: connections)
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
    }

    /// Runs `body` on a reader thread inside a deferred transaction, which pins one snapshot from
    /// its first read to its end.
    func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        guard !closed.withLock({ $0 }) else { throw StorageError.closed }
        do {
            return try await threads.runIfActive { [idle] in
                guard let connection = idle.withLock({ $0.popLast() }) else { throw StorageError.closed }
                defer { idle.withLock { $0.append(connection) } }
                try connection.executeScript("BEGIN")
                defer { try? connection.executeScript("ROLLBACK") }
                return try body(connection)
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw StorageError.closed
        } catch is CancellationError where closed.withLock({ $0 }) {
            // A stopping thread pool cancels the work still queued on it.
            throw StorageError.closed
        }
    }

    /// Stops the reader threads after the reads already queued, then closes every connection.
    func close() async {
        closed.withLock { $0 = true }
        try? await threads.shutdownGracefully()
        for connection in idle.withLock({ $0 }) {
            connection.close()
        }
    }

    /// Last-resort shutdown for a database dropped without `close()`.
    func abandon() {
        threads.shutdownGracefully { _ in }
    }
}
