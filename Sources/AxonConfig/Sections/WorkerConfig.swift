/// Worker mode: what this process is (`worker_app`, `worker_name`), what it listens on, and the
/// topology every process shares (`instance_map`, `stream_writers`, duty assignments).
public struct WorkerConfig: Sendable, Hashable {
    /// The main process's name in `instance_map`, `stream_writers` and the duty keys. Synapse's
    /// internal name `master` is accepted as a synonym wherever an instance is named.
    public static let mainInstanceName = "main"

    /// `worker_app`; `nil` for the main process (also when it says `synapse.app.homeserver`).
    public var app: WorkerApp?
    /// `worker_name`; for a worker without one, Synapse falls back to the `worker_app` value.
    public var name: String?
    /// `worker_listeners`: what this worker serves.
    public var listeners: [ListenerConfig] = []
    /// `worker_log_config`, absolute.
    public var logConfig: String?
    /// `worker_pid_file`, absolute.
    public var pidFile: String?
    /// `instance_map`: how to reach each named process's replication listener.
    public var instanceMap: [String: InstanceLocation] = [:]
    public var streamWriters = StreamWriters()
    /// `worker_replication_secret`, or the trimmed contents of `worker_replication_secret_path`;
    /// authenticates internal replication requests.
    public var replicationSecret: Secret?
    /// `federation_sender_instances` (or the legacy `send_federation`): who sends outbound federation,
    /// sharded by destination. Empty means some other, unnamed process does.
    public var federationSenderInstances = [mainInstanceName]
    /// `pusher_instances` (or the legacy `start_pushers`).
    public var pusherInstances = [mainInstanceName]
    /// `run_background_tasks_on`: the one process running periodic jobs.
    public var runBackgroundTasksOn = mainInstanceName
    /// `media_instance_running_background_jobs`: the one media process running retention and cleanup;
    /// `nil` lets every media process run them.
    public var mediaInstanceRunningBackgroundJobs: String?
    /// `notify_appservices_from_worker`; `nil` means the main process.
    public var notifyAppservicesFromWorker: String?
    /// `update_user_directory_from_worker`; `nil` means the main process.
    public var updateUserDirectoryFromWorker: String?
    /// `outbound_federation_restricted_to`: the only processes that may make outbound federation requests;
    /// `nil` lets every process.
    public var outboundFederationRestrictedTo: [String]?

    public init() {}

    public var isWorker: Bool { app != nil }

    /// The name this process goes by in replication and in the topology keys.
    public var instanceName: String { name ?? Self.mainInstanceName }

    static func canonical(_ instance: String) -> String {
        instance == "master" ? mainInstanceName : instance
    }
}
