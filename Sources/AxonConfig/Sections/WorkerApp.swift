/// `worker_app` values Axon accepts: Synapse's generic worker and the older per-role names Synapse still
/// treats as aliases of it. Which role a worker plays is decided by the executable and the shared
/// config's duty lists, as in Synapse; the name is kept so existing worker files load unchanged.
public enum WorkerApp: String, Sendable, Hashable, CaseIterable {
    case genericWorker = "synapse.app.generic_worker"
    case appservice = "synapse.app.appservice"
    case clientReader = "synapse.app.client_reader"
    case eventCreator = "synapse.app.event_creator"
    case federationReader = "synapse.app.federation_reader"
    case federationSender = "synapse.app.federation_sender"
    case frontendProxy = "synapse.app.frontend_proxy"
    case mediaRepository = "synapse.app.media_repository"
    case pusher = "synapse.app.pusher"
    case synchrotron = "synapse.app.synchrotron"
    case userDirectory = "synapse.app.user_dir"

    /// The value naming the main process; a file with it is the main process's config.
    public static let mainProcess = "synapse.app.homeserver"
}

/// Where another process's replication listener is (`instance_map` entries).
public enum InstanceLocation: Sendable, Hashable {
    case tcp(host: String, port: Int, tls: Bool)
    case unix(path: String)
}

/// `stream_writers`: which processes write each stream. Every stream defaults to the main process.
public struct StreamWriters: Sendable, Hashable {
    public var events = [WorkerConfig.mainInstanceName]
    public var typing = [WorkerConfig.mainInstanceName]
    public var toDevice = [WorkerConfig.mainInstanceName]
    public var accountData = [WorkerConfig.mainInstanceName]
    public var receipts = [WorkerConfig.mainInstanceName]
    public var presence = [WorkerConfig.mainInstanceName]
    public var pushRules = [WorkerConfig.mainInstanceName]
    public var deviceLists = [WorkerConfig.mainInstanceName]
    public var threadSubscriptions = [WorkerConfig.mainInstanceName]
    public var quarantinedMediaChanges = [WorkerConfig.mainInstanceName]

    public init() {}

    /// Each stream's key, field, and whether it may have several writers (Synapse's rule).
    static var streams: [(key: String, field: WritableKeyPath<StreamWriters, [String]>, sharded: Bool)] {
        [
            ("events", \.events, true), ("typing", \.typing, false), ("to_device", \.toDevice, false),
            ("account_data", \.accountData, false), ("receipts", \.receipts, true), ("presence", \.presence, false),
            ("push_rules", \.pushRules, false), ("device_lists", \.deviceLists, true),
            ("thread_subscriptions", \.threadSubscriptions, true),
            ("quarantined_media_changes", \.quarantinedMediaChanges, true),
        ]
    }
}
