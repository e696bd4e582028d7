import AxonConfig
import MatrixHTTP

/// Refuses combinations of executable and config that cannot work, before anything is opened.
enum RoleRequirements {
    static func check(role: ProcessRole, config: HomeserverConfig) throws {
        let app = config.worker.app
        if role == .main {
            if let app {
                throw StartupError("This config sets worker_app: \(app.rawValue), so it belongs to a worker; start the matching axon-* worker executable instead of axon.")
            }
            return
        }
        guard let app else {
            throw StartupError("\(role.executableName) is a worker: give it the shared homeserver.yaml and a worker config that sets worker_app and worker_name.")
        }
        guard acceptedApps(for: role).contains(app) else {
            throw StartupError("worker_app '\(app.rawValue)' does not match \(role.executableName); it accepts \(acceptedApps(for: role).map(\.rawValue).sorted().joined(separator: ", ")).")
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
