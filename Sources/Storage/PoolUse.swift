import CoreMetrics

/// How an engine's connection pool is used, for the metrics endpoint: jobs holding a connection and jobs waiting for
/// one (`axon_database_pool_jobs{engine, state}`). A pool whose `waiting` stays above zero is too small for its load.
public final class PoolUse: Sendable {
    /// One job's passage through the pool: queued, then running, then ended (from either state).
    public final class Job: Sendable {
        private enum Stage { case waiting, running, ended }
        private let stage = Locked(Stage.waiting)
        private let pool: PoolUse

        fileprivate init(_ pool: PoolUse) {
            self.pool = pool
        }

        /// The job got its connection.
        public func start() {
            let wasWaiting = stage.withLock { stage in
                guard stage == .waiting else { return false }
                stage = .running
                return true
            }
            if wasWaiting { pool.change(waiting: -1, running: 1) }
        }

        /// The job is over, whether it ran or never got a connection.
        public func end() {
            let previous = stage.withLock { stage in
                defer { stage = .ended }
                return stage
            }
            switch previous {
            case .waiting: pool.change(waiting: -1, running: 0)
            case .running: pool.change(waiting: 0, running: -1)
            case .ended: break
            }
        }
    }

    private let counts = Locked((running: 0, waiting: 0))
    private let running: Gauge
    private let waiting: Gauge

    public init(engine: SQLDialect) {
        running = Gauge(label: "axon_database_pool_jobs", dimensions: [("engine", engine.rawValue), ("state", "running")])
        waiting = Gauge(label: "axon_database_pool_jobs", dimensions: [("engine", engine.rawValue), ("state", "waiting")])
    }

    /// A job asks for a connection.
    public func queued() -> Job {
        change(waiting: 1, running: 0)
        return Job(self)
    }

    fileprivate func change(waiting deltaWaiting: Int, running deltaRunning: Int) {
        let now = counts.withLock { counts in
            counts.waiting += deltaWaiting
            counts.running += deltaRunning
            return counts
        }
        waiting.record(now.waiting)
        running.record(now.running)
    }
}
