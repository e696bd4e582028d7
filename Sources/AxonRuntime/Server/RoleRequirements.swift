import AxonConfig
import MatrixHTTP

/// Refuses combinations of executable and config that cannot work, before anything is opened.
enum RoleRequirements {
    static func check(role: ProcessRole, config: HomeserverConfig) throws {
        let app = config.worker.app
        try checkStreamWriters(config.worker.streamWriters, redis: config.redis.enabled)
        if role == .main {
            if let app {
                throw StartupError("This config sets worker_app: \(app.rawValue), so it belongs to a worker; start the matching axon-* worker executable instead of axon.")
            }
            return
        }
        guard case .postgres = config.database else {
            throw StartupError("\(role.executableName) is a worker: workers share the main process's PostgreSQL database; SQLite serves one process only.")
        }
        guard config.redis.enabled else {
            throw StartupError("\(role.executableName) is a worker: it follows the main process over Redis; set redis.enabled: true in the shared config.")
        }
        guard let app else {
            throw StartupError("\(role.executableName) is a worker: give it the shared homeserver.yaml and a worker config that sets worker_app and worker_name.")
        }
        guard acceptedApps(for: role).contains(app) else {
            throw StartupError("worker_app '\(app.rawValue)' does not match \(role.executableName); it accepts \(acceptedApps(for: role).map(\.rawValue).sorted().joined(separator: ", ")).")
        }
        if role == .eventPersister, !config.worker.streamWriters.events.contains(config.worker.instanceName) {
            throw StartupError("\(config.worker.instanceName) is an event persister but stream_writers.events does not list it; add it there (in the shared config).")
        }
    }

    /// Events may have several writers (the main process and event persisters, over Redis); every other stream is
    /// written by the main process in this version, and moving one elsewhere is refused rather than half done.
    static func checkStreamWriters(_ writers: StreamWriters, redis: Bool) throws {
        let main = WorkerConfig.mainInstanceName
        let moved = [("typing", writers.typing), ("receipts", writers.receipts),
            ("account_data", writers.accountData), ("presence", writers.presence)].filter { $0.1 != [main] }
        guard moved.isEmpty else {
            throw StartupError("stream_writers: only the main process writes \(moved.map(\.0).joined(separator: ", ")) in this version; remove those entries.")
        }
        if writers.events != [main], !redis {
            throw StartupError("stream_writers.events names other processes, which reach each other over Redis; set redis.enabled: true in the shared config.")
        }
    }

    /// Synapse's app names, so worker configs written for Synapse start the equivalent Axon executable.
    static func acceptedApps(for role: ProcessRole) -> Set<WorkerApp> {
        switch role {
        case .main: []
        case .clientReader: [.genericWorker, .clientReader, .synchrotron]
        case .federationReceiver: [.genericWorker, .federationReader]
        case .federationSender: [.genericWorker, .federationSender]
        case .media: [.genericWorker, .mediaRepository]
        case .eventPersister: [.genericWorker]
        }
    }
}
