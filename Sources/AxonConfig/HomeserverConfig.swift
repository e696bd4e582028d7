/// Everything `homeserver.yaml` (plus any worker file merged over it) says, in one value per concern.
/// Keys keep Synapse's names and defaults so an existing Synapse config starts Axon unchanged.
/// Secrets are `Secret` values, so printing or dumping a config never shows them.
public struct HomeserverConfig: Sendable, Hashable {
    public var server: ServerConfig
    /// `listeners`: the main process's sockets. Workers serve `worker.listeners` instead; see `listenersToServe`.
    public var listeners: [ListenerConfig]
    public var database: DatabaseConfig
    public var keys: KeyConfig
    public var registration: RegistrationConfig
    public var media: MediaConfig
    public var urlPreview: URLPreviewConfig
    public var voip: VoIPConfig
    public var federation: FederationConfig
    public var rateLimits: RateLimitConfig
    public var worker: WorkerConfig
    public var redis: RedisConfig

    public init(
        server: ServerConfig, database: DatabaseConfig, keys: KeyConfig, media: MediaConfig,
        listeners: [ListenerConfig] = [], registration: RegistrationConfig = RegistrationConfig(),
        urlPreview: URLPreviewConfig = URLPreviewConfig(), voip: VoIPConfig = VoIPConfig(),
        federation: FederationConfig = FederationConfig(), rateLimits: RateLimitConfig = RateLimitConfig(),
        worker: WorkerConfig = WorkerConfig(), redis: RedisConfig = RedisConfig()
    ) {
        self.server = server
        self.listeners = listeners
        self.database = database
        self.keys = keys
        self.registration = registration
        self.media = media
        self.urlPreview = urlPreview
        self.voip = voip
        self.federation = federation
        self.rateLimits = rateLimits
        self.worker = worker
        self.redis = redis
    }

    /// The sockets this process opens: `worker_listeners` for a worker, `listeners` for the main process.
    public var listenersToServe: [ListenerConfig] {
        worker.isWorker ? worker.listeners : listeners
    }
}

extension HomeserverConfig {
    /// Decodes every section from the merged top-level mapping, then checks rules that span sections.
    /// Returns `nil` when a required piece is missing; the reasons are in the log.
    static func decode(from root: MappingReader, paths: PathResolver) -> HomeserverConfig? {
        let files = SecretFileReader(paths: paths)
        let server = ServerConfig(from: root, paths: paths)
        let listeners = ListenerConfig.list(from: root, key: "listeners")
        let database = DatabaseConfig.decode(from: root, paths: paths)
        let keys = KeyConfig(from: root, serverName: server.serverName, paths: paths)
        let registration = RegistrationConfig(from: root, files: files)
        let media = MediaConfig(from: root, paths: paths)
        let urlPreview = URLPreviewConfig(from: root, paths: paths)
        let voip = VoIPConfig(from: root, files: files)
        let federation = FederationConfig(from: root, paths: paths)
        let rateLimits = RateLimitConfig(from: root)
        let worker = WorkerConfig(from: root, files: files, paths: paths)
        let redis = RedisConfig(from: root, files: files, paths: paths)
        root.accept(["report_stats"])

        guard let database else { return nil }
        let config = HomeserverConfig(
            server: server, database: database, keys: keys, media: media, listeners: listeners, registration: registration,
            urlPreview: urlPreview, voip: voip, federation: federation, rateLimits: rateLimits, worker: worker, redis: redis
        )
        config.checkWorkerMode(root)
        return config
    }

    /// Workers share state through PostgreSQL and learn about each other's writes through Redis, so a
    /// worker config without either cannot work.
    private func checkWorkerMode(_ root: MappingReader) {
        guard worker.isWorker else { return }
        if case .sqlite = database {
            root.error("database", "workers need a shared PostgreSQL database (`name: psycopg2`); SQLite serves a single process only")
        }
        if !redis.enabled {
            root.error("redis", "workers need Redis for replication; set `redis.enabled: true` in the shared config")
        }
    }
}
