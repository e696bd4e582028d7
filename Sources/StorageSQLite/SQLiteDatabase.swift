public import Logging
import NIOPosix
public import Storage

/// Axon's embedded engine: one SQLite file in WAL mode with a single group-committing writer and
/// a few readers, all blocking calls on dedicated threads.
///
/// ```swift
/// let db = try await SQLiteDatabase(path: config.database.args.database)
/// try await db.runMigrations()
/// ```
///
/// Only one process may write a given file: SQLite allows a single writer, and Axon's stream
/// counters live in that process's memory. Use PostgreSQL for worker mode.
public final class SQLiteDatabase: Database {
    public let dialect = SQLDialect.sqlite
    /// The database file (`:memory:` is not supported: readers need their own connections to it).
    public let path: String
    private let writer: SQLiteWriter
    private let writerThread: NIOThreadPool
    private let readers: SQLiteReaderPool
    private let checkpointer: SQLiteCheckpointer
    private let closed = Locked(false)
    private let logger: Logger

    /// Opens (creating if needed) the database file.
    ///
    /// - Parameters:
    ///   - readers: reader connections, each with its own thread.
    ///   - busyTimeout: how long a statement waits on a lock held elsewhere before `.busy`.
    ///   - durableCommits: `false` trades durability against power loss for speed
    ///     (`synchronous = NORMAL`); for tests and throwaway data.
    public init(
        path: String,
        readers: Int = 4,
        busyTimeout: Duration = .seconds(5),
        durableCommits: Bool = true,
        logger: Logger = Logger(label: "axon.storage.sqlite")
    ) async throws(StorageError) {
        precondition(readers > 0, "SQLite needs at least one reader connection")
        guard !path.isEmpty, path != ":memory:" else {
            throw .connectionFailed(reason: "SQLite needs a database file; an in-memory database cannot be shared by the writer and readers")
        }
        let timeout = Int32(clamping: busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000)
        let counters = DatabaseCounters(engine: .sqlite)
        let writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
        let connection: SQLiteConnection
        let readerPool: SQLiteReaderPool
        let checkpointer: SQLiteCheckpointer
        do {
            // The writer opens first: it switches the file to WAL before any reader attaches.
            connection = try await writerThread.runIfActive {
                try SQLiteConnection(
                    path: path, role: .writer(durable: durableCommits), busyTimeoutMilliseconds: timeout, counters: counters
                )
            }
            readerPool = try await SQLiteReaderPool.open(path: path, count: readers, busyTimeoutMilliseconds: timeout, counters: counters)
            do {
                checkpointer = try await SQLiteCheckpointer.start(path: path, busyTimeoutMilliseconds: timeout)
            } catch {
                await readerPool.close()
                throw error
            }
        } catch {
            try? await writerThread.shutdownGracefully()
            throw error as? StorageError ?? .connectionFailed(reason: "\(error)")
        }
        self.path = path
        self.writerThread = writerThread
        self.writer = SQLiteWriter(connection: connection, thread: writerThread)
        self.readers = readerPool
        self.checkpointer = checkpointer
        self.logger = logger
        logger.debug("opened SQLite database", metadata: ["path": "\(path)", "readers": "\(readers)"])
    }

    deinit {
        if !closed.withLock({ $0 }) {
            writerThread.shutdownGracefully { _ in }
            readers.abandon()
            checkpointer.abandon()
        }
    }

    @discardableResult
    public func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        try await readers.read(body)
    }

    @discardableResult
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = SQLiteWriter.Job(
                run: { connection in
                    let result = Result { try body(connection) }
                    let succeeded = if case .success = result { true } else { false }
                    return SQLiteWriter.Outcome(succeeded: succeeded) { commitError in
                        if let commitError, succeeded {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(with: result)
                        }
                    }
                },
                fail: { error in continuation.resume(throwing: error) }
            )
            do {
                try writer.submit(job)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    public func close() async {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        writer.stopAccepting()
        try? await writerThread.shutdownGracefully()
        writer.closeConnection()
        await readers.close()
        await checkpointer.close()
        logger.debug("closed SQLite database", metadata: ["path": "\(path)"])
    }
}
