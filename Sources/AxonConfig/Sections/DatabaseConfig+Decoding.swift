extension DatabaseConfig {
    /// libpq connection keywords Axon passes through from `args` besides the ones it reads itself.
    static let libpqKeywords: Set<String> = [
        "hostaddr", "passfile", "require_auth", "channel_binding", "connect_timeout", "client_encoding", "options",
        "application_name", "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "gssencmode", "sslmode", "sslnegotiation", "sslcompression", "sslcert",
        "sslkey", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
        "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service",
        "target_session_attrs", "load_balance_hosts",
    ]

    /// Reads `database` (or the legacy `database_path` for SQLite); `nil` after recording why not.
    static func decode(from root: MappingReader, paths: PathResolver) -> DatabaseConfig? {
        if root.has("databases") {
            root.error("databases", "Axon supports one database; configure it under `database`")
        }
        guard let reader = root.mapping("database") else {
            if let legacy = root.string("database_path") { return .sqlite(SQLiteConfig(path: sqlitePath(legacy, paths: paths))) }
            if !root.has("database") { root.error("database", "missing required key") }
            return nil
        }
        root.accept(["database_path"])
        let engine = reader.string("name") ?? "sqlite3"
        let args = reader.mapping("args")
        reader.accept(["data_stores"])
        let result: DatabaseConfig?
        switch engine {
        case "sqlite3":
            result = sqlite(args: args, database: reader, paths: paths)
        case "psycopg2":
            result = postgres(args: args, database: reader)
        default:
            reader.error("name", "unsupported database type \"\(engine)\"; expected sqlite3 or psycopg2")
            result = nil
        }
        reader.warnAboutUnknownKeys()
        return result
    }

    private static func sqlitePath(_ path: String, paths: PathResolver) -> String {
        path == ":memory:" ? path : paths.absolute(path)
    }

    private static func sqlite(args: MappingReader?, database: MappingReader, paths: PathResolver) -> DatabaseConfig? {
        guard let args else {
            database.error("args", "missing required key (with `database`, the SQLite file)")
            return nil
        }
        let path = args.required("database")?.string()
        // Synapse forces a one-connection pool on SQLite and passes the rest to Python's sqlite3 module.
        args.accept(["cp_min", "cp_max", "check_same_thread", "timeout", "cached_statements"])
        args.warnAboutUnknownKeys()
        return path.map { .sqlite(SQLiteConfig(path: sqlitePath($0, paths: paths))) }
    }

    private static func postgres(args: MappingReader?, database: MappingReader) -> DatabaseConfig? {
        var config = PostgresConfig()
        config.allowUnsafeLocale = database.bool("allow_unsafe_locale", default: false)
        config.transactionLimit = database.value("txn_limit")?.int(in: 0...Int.max) ?? 0
        config.synchronousCommit = database.bool("synchronous_commit", default: true)
        config.statementTimeout = timeout("statement_timeout", in: database, default: config.statementTimeout)
        config.idleInTransactionSessionTimeout = timeout(
            "idle_in_transaction_session_timeout", in: database, default: config.idleInTransactionSessionTimeout
        )
        guard let args else { return .postgres(config) }

        config.user = args.string("user")
        config.password = args.string("password").map(Secret.init)
        config.sslPassword = args.string("sslpassword").map(Secret.init)
        config.host = args.string("host")
        config.port = args.value("port").flatMap(port)
        let database = args.value("database")?.string()
        let dbname = args.value("dbname")?.string()
        if database != nil, dbname != nil, database != dbname {
            args.error("dbname", "`database` and `dbname` name different databases")
        }
        config.database = database ?? dbname
        let cpMin = args.value("cp_min")?.int(in: 1...Int.max)
        let cpMax = args.value("cp_max")?.int(in: 1...Int.max)
        config.cpMin = cpMin ?? config.cpMin
        config.cpMax = cpMax ?? config.cpMax
        if config.cpMin > config.cpMax {
            args.error(cpMax == nil ? "cp_min" : "cp_max", "cp_min (\(config.cpMin)) is larger than cp_max (\(config.cpMax))")
        }
        args.accept(["cp_reconnect", "cp_noisy"])
        for (key, _) in args.unreadKeys where libpqKeywords.contains(key) {
            if let value = args.string(key) { config.connectionOptions[key] = value }
        }
        args.warnAboutUnknownKeys()
        return .postgres(config)
    }

    /// A timeout in milliseconds; an explicit null turns it off, as in Synapse.
    private static func timeout(_ key: String, in reader: MappingReader, default fallback: Int?) -> Int? {
        if reader.isNull(key) { return nil }
        return reader.duration(key) ?? fallback
    }

    /// Ports are integers, but psycopg2 also takes them as strings.
    private static func port(_ value: ValueReader) -> Int? {
        if case .string(let text) = value.node.value, let number = Int(text), (1...65535).contains(number) { return number }
        return value.int(in: 1...65535)
    }
}
