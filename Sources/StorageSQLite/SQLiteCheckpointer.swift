import NIOPosix
import Storage

/// Moves the WAL into the database file every second with a passive checkpoint on its own connection and
/// thread. SQLite's automatic checkpoint would run inside whichever commit crossed the threshold, stalling every
/// write queued behind it; a passive one never blocks the writer or readers.
final class SQLiteCheckpointer: Sendable {
    private let thread: NIOThreadPool
    private let connection: SQLiteConnection
    private let loop: Locked<Task<Void, Never>?> = Locked(nil)

    private init(thread: NIOThreadPool, connection: SQLiteConnection) {
        self.thread = thread
        self.connection = connection
    }

    static func start(path: String, busyTimeoutMilliseconds: Int32, interval: Duration = .milliseconds(250)) async throws -> SQLiteCheckpointer {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        do {
            let connection = try await thread.runIfActive {
                try SQLiteConnection(path: path, role: .checkpointer, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
            }
            let checkpointer = SQLiteCheckpointer(thread: thread, connection: connection)
            checkpointer.loop.withLock { loop in
                loop = Task { [weak checkpointer] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        guard let checkpointer else { return }
                        await checkpointer.checkpoint()
                    }
                }
            }
            return checkpointer
        } catch {
            try? await thread.shutdownGracefully()
            throw error
        }
    }

    private func checkpoint() async {
        _ = try? await thread.runIfActive { [connection] in
            try connection.executeScript("PRAGMA wal_checkpoint(PASSIVE)")
        }
    }

    /// Stops checkpointing; a last one runs so the WAL is small when the file is next opened.
    func close() async {
        loop.withLock { $0?.cancel() }
        await checkpoint()
        try? await thread.shutdownGracefully()
        connection.close()
    }

    /// Last-resort shutdown for a database dropped without `close()`.
    func abandon() {
        loop.withLock { $0?.cancel() }
        thread.shutdownGracefully { _ in }
    }
}
