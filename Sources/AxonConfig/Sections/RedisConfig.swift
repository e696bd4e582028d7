/// `redis`: the pub/sub connection workers use for replication notices.
public struct RedisConfig: Sendable, Hashable {
    public var enabled = false
    public var host = "localhost"
    public var port = 6379
    /// A UNIX socket path; overrides `host` and `port`.
    public var path: String?
    /// `dbid`: the Redis database number to select.
    public var databaseID: Int?
    public var username: String?
    /// `password`, or the trimmed contents of `password_path`.
    public var password: Secret?
    public var useTLS = false
    public var certificateFile: String?
    public var privateKeyFile: String?
    public var caFile: String?
    public var caPath: String?

    public init() {}

    static let conflictingPasswordError =
        "You have configured both `redis.password` and `redis.password_path`. These are mutually incompatible."
}

extension RedisConfig {
    init(from root: MappingReader, files: SecretFileReader, paths: PathResolver) {
        guard let reader = root.mapping("redis") else { return }
        enabled = reader.bool("enabled", default: false)
        host = reader.string("host") ?? host
        port = reader.value("port")?.int(in: 1...65535) ?? port
        path = reader.string("path").map(paths.absolute)
        databaseID = reader.value("dbid")?.int(in: 0...Int.max)
        username = reader.string("username")
        password = files.secret(reader, inline: "password", path: "password_path", conflict: Self.conflictingPasswordError)
        if enabled, username != nil, password == nil, !reader.has("password_path") {
            reader.error("username", "`redis.username` was set without `redis.password` (or `redis.password_path`)")
        }
        useTLS = reader.bool("use_tls", default: false)
        certificateFile = reader.string("certificate_file").map(paths.absolute)
        privateKeyFile = reader.string("private_key_file").map(paths.absolute)
        caFile = reader.string("ca_file").map(paths.absolute)
        caPath = reader.string("ca_path").map(paths.absolute)
        reader.warnAboutUnknownKeys()
    }
}
