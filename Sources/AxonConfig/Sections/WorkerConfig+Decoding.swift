extension WorkerConfig {
    static let conflictingSecretError =
        "Conflicting options 'worker_replication_secret' and 'worker_replication_secret_path' are both defined in config file."

    static let missingMainInstanceError =
        "Missing data for a worker to connect to main process. Please include 'main' in the `instance_map` declared in your shared yaml configuration."

    init(from root: MappingReader, files: SecretFileReader, paths: PathResolver) {
        if let value = root.value("worker_app"), let text = value.string(), text != WorkerApp.mainProcess {
            app = WorkerApp(rawValue: text)
            if app == nil {
                let known = ([WorkerApp.mainProcess] + WorkerApp.allCases.map(\.rawValue)).joined(separator: ", ")
                value.error("unknown worker_app \"\(text)\"; expected one of \(known)")
            }
        }
        name = root.string("worker_name") ?? app?.rawValue
        listeners = ListenerConfig.list(from: root, key: "worker_listeners")
        logConfig = root.string("worker_log_config").map(paths.absolute)
        pidFile = root.string("worker_pid_file").map(paths.absolute)
        replicationSecret = files.secret(
            root, inline: "worker_replication_secret", path: "worker_replication_secret_path", conflict: Self.conflictingSecretError
        )
        if root.has("worker_replication_port") {
            root.error("worker_replication_port", ListenerConfig.directTCPReplicationError)
        }
        if app != nil {
            for key in ["worker_replication_host", "worker_replication_http_port", "worker_replication_http_tls"] where root.has(key) {
                root.error(key, "no longer supported; describe the main process as `main` in `instance_map` in the shared config")
            }
        }
        instanceMap = Self.instanceMap(root)
        streamWriters = Self.streamWriters(root, instanceMap: instanceMap)
        federationSenderInstances = duty(root, list: "federation_sender_instances", legacyFlag: "send_federation", legacyApp: .federationSender)
        pusherInstances = duty(root, list: "pusher_instances", legacyFlag: "start_pushers", legacyApp: .pusher)
        runBackgroundTasksOn = root.string("run_background_tasks_on").map(Self.canonical) ?? Self.mainInstanceName
        mediaInstanceRunningBackgroundJobs = root.string("media_instance_running_background_jobs").map(Self.canonical)
        notifyAppservicesFromWorker = root.string("notify_appservices_from_worker").map(Self.canonical)
        updateUserDirectoryFromWorker = root.string("update_user_directory_from_worker").map(Self.canonical)
        outboundFederationRestricted(root)
        if app != nil, instanceMap[Self.mainInstanceName] == nil {
            root.error("instance_map", Self.missingMainInstanceError)
        }
    }

    private static func instanceMap(_ root: MappingReader) -> [String: InstanceLocation] {
        guard let map = root.mapping("instance_map") else { return [:] }
        var result: [String: InstanceLocation] = [:]
        for (name, _) in map.unreadKeys {
            guard let entry = map.mapping(name) else { continue }
            if let path = entry.string("path") {
                result[canonical(name)] = .unix(path: path)
                entry.accept(["host", "port", "tls"])
            } else {
                let host = entry.required("host")?.string()
                let port = entry.required("port")?.int(in: 1...65535)
                let tls = entry.bool("tls", default: false)
                if let host, let port { result[canonical(name)] = .tcp(host: host, port: port, tls: tls) }
            }
            entry.warnAboutUnknownKeys()
        }
        return result
    }

    private static func streamWriters(_ root: MappingReader, instanceMap: [String: InstanceLocation]) -> StreamWriters {
        var writers = StreamWriters()
        guard let reader = root.mapping("stream_writers") else { return writers }
        for (key, field, sharded) in StreamWriters.streams {
            guard let value = reader.value(key), let names = value.stringOrList()?.map(canonical) else { continue }
            if names.isEmpty {
                value.error("must name at least one instance")
                continue
            }
            if !sharded, names.count > 1 {
                value.error("must name exactly one instance; `\(key)` cannot be sharded")
                continue
            }
            for name in names where name != mainInstanceName && instanceMap[name] == nil {
                value.error("instance \"\(name)\" writes \(key) but does not appear in `instance_map`")
            }
            writers[keyPath: field] = names
        }
        reader.warnAboutUnknownKeys()
        return writers
    }

    /// A duty given either as a list of instances or, in older configs, as a flag on the main process
    /// plus a dedicated worker app.
    private func duty(_ root: MappingReader, list: String, legacyFlag: String, legacyApp: WorkerApp) -> [String] {
        let onMain = root.bool(legacyFlag, default: true)
        if let names = root.stringList(list) { return names.map(Self.canonical) }
        if app == legacyApp, !onMain, let name { return [name] }
        return onMain ? [Self.mainInstanceName] : []
    }

    private mutating func outboundFederationRestricted(_ root: MappingReader) {
        guard let value = root.value("outbound_federation_restricted_to"), let names = value.stringList()?.map(Self.canonical) else {
            return
        }
        outboundFederationRestrictedTo = names
        guard !names.isEmpty else { return }
        if replicationSecret == nil {
            value.error("`worker_replication_secret` must be configured when using `outbound_federation_restricted_to`")
        }
        for name in names where instanceMap[name] == nil {
            value.error("instance \"\(name)\" is listed but does not appear in `instance_map`")
        }
    }
}
