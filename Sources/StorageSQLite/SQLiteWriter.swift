import NIOPosix
import Storage

/// The process's only SQLite writer: one connection on one dedicated thread that group-commits.
///
/// Every write queued while a commit is in progress joins the next group: one `BEGIN IMMEDIATE`,
/// each job inside its own savepoint (a failing job undoes only itself and gets its own error),
/// then one `COMMIT` for all of them, so many small writes share one fsync. Jobs learn their
/// outcome only after that commit.
final class SQLiteWriter: Sendable {
    /// One queued write. `run` executes the caller's body inside its savepoint and says whether it
    /// succeeded; the outcome's `complete` is then called once with the group's commit error, or
    /// `nil` if it committed. `fail` reports an error for a job whose body never ran.
    struct Job: Sendable {
        let run: @Sendable (SQLiteConnection) -> Outcome
        let fail: @Sendable (StorageError) -> Void
    }

    struct Outcome: Sendable {
        let succeeded: Bool
        let complete: @Sendable (StorageError?) -> Void
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
        var closed = false
    }

    /// Bounds a group so one commit does not hold the write lock (and starve checkpoints) for long.
    private static let maxGroupSize = 128

    private let connection: SQLiteConnection
    private let thread: NIOThreadPool
    private let queue = Locked(Queue())

    init(connection: SQLiteConnection, thread: NIOThreadPool) {
        self.connection = connection
        self.thread = thread
    }

    /// Queues a job; the writer thread picks it up with whatever else is waiting.
    func submit(_ job: Job) throws(StorageError) {
        let startDrain = try queue.withLock { queue throws(StorageError) in
            guard !queue.closed else { throw StorageError.closed }
            queue.jobs.append(job)
            guard !queue.draining else { return false }
            queue.draining = true
            return true
        }
        if startDrain {
            thread.submit { [self] _ in drain() }
        }
    }

    /// Refuses new jobs; jobs already queued still run.
    func stopAccepting() {
        queue.withLock { $0.closed = true }
    }

    private func drain() {
        while true {
            let group = queue.withLock { queue in
                let group = Array(queue.jobs.prefix(Self.maxGroupSize))
                queue.jobs.removeFirst(group.count)
                if group.isEmpty {
                    queue.draining = false
                }
                return group
            }
            if group.isEmpty { return }
            commit(group)
        }
    }

    private func commit(_ group: [Job]) {
        guard !group.isEmpty else { return }
        do throws(StorageError) {
            try connection.executeScript("BEGIN IMMEDIATE")
        } catch {
            fail(group, with: error)
            return
        }
        var outcomes: [Outcome] = []
        for (index, job) in group.enumerated() {
            do throws(StorageError) {
                try connection.executeScript("SAVEPOINT axon_job")
                let outcome = job.run(connection)
                outcomes.append(outcome)
                try connection.executeScript(
                    outcome.succeeded ? "RELEASE axon_job" : "ROLLBACK TO axon_job; RELEASE axon_job"
                )
            } catch {
                // The transaction is unusable (SQLite may already have rolled it back): everything
                // in it is lost, so its jobs fail; the jobs not yet run start a fresh group.
                abandon(outcomes, with: error)
                if outcomes.count == index {
                    fail([job], with: error)
                }
                commit(Array(group.dropFirst(index + 1)))
                return
            }
        }
        do throws(StorageError) {
            try connection.executeScript("COMMIT")
        } catch {
            abandon(outcomes, with: error)
            return
        }
        for outcome in outcomes {
            outcome.complete(nil)
        }
    }

    private func abandon(_ outcomes: [Outcome], with error: StorageError) {
        if connection.inTransaction {
            try? connection.executeScript("ROLLBACK")
        }
        for outcome in outcomes {
            outcome.complete(error)
        }
    }

    private func fail(_ jobs: [Job], with error: StorageError) {
        for job in jobs {
            job.fail(error)
        }
    }
}

extension SQLiteWriter {
    /// Closes the writer's connection; call only after its thread has stopped.
    func closeConnection() {
        connection.close()
    }
}
