import Foundation
import MatrixCrypto

/// Axon in worker mode on loopback: a private Redis, the main process, client readers and event persisters on one
/// PostgreSQL database, and nginx in front with the site `axon routes --nginx` generates for that topology.
public enum WorkerCluster {
    public static let nginx = "/usr/sbin/nginx"

    public static var isAvailable: Bool {
        PostgresProcessDatabase.isAvailable && RedisServer.isAvailable && FileManager.default.isExecutableFile(atPath: nginx)
    }

    /// The processes of one running cluster.
    public struct Running: Sendable {
        public let baseURL: String
        public let serverName: String
        public let main: ServerProcess
        public let readers: [ServerProcess]
        /// The event persisters (`stream_writers.events`), serving their replication and metrics resources.
        public let persisters: [ServerProcess]
        public let redis: RedisServer
        /// How each reader was started, to start a replacement after killing one.
        public let readerArguments: [[String]]
        let persisterArguments: [[String]]
        /// With federation: the federation receiver (behind nginx's TLS port) and sender.
        public let federationReceiver: ServerProcess?
        public let federationSender: ServerProcess?
        let receiverArguments: [String]
        /// The media worker, which nginx sends every media route to.
        public let media: ServerProcess
        let mediaArguments: [String]
        /// Where the cluster keeps its media files.
        public let mediaStore: String

        /// Starts client reader `index` again (after it was killed); the caller stops it.
        public func startReader(_ index: Int) throws -> ServerProcess {
            try ServerProcess(executable: "axon-client-reader", arguments: readerArguments[index], baseURL: readers[index].baseURL)
        }

        /// Starts the federation receiver again (after it was killed); the caller stops it.
        public func startFederationReceiver() throws -> ServerProcess {
            try ServerProcess(executable: "axon-federation-receiver", arguments: receiverArguments, baseURL: federationReceiver?.baseURL ?? "")
        }

        /// Starts the media worker again (after it was killed); the caller stops it.
        public func startMedia() throws -> ServerProcess {
            try ServerProcess(executable: "axon-media", arguments: mediaArguments, baseURL: media.baseURL)
        }

        /// Starts event persister `index` again (after it was killed); the caller stops it.
        public func startPersister(_ index: Int) throws -> ServerProcess {
            try ServerProcess(executable: "axon-event-persister", arguments: persisterArguments[index], baseURL: persisters[index].baseURL)
        }
    }

    /// Starts the cluster on `database` with `readers` client readers and `persisters` event persisters (none: the
    /// main process writes events), runs `body`, and stops everything. With `federation`, the cluster also runs a
    /// federation receiver and a federation sender and is named `127.0.0.1:PORT` after a second nginx port serving
    /// TLS with a certificate of that CA, which it trusts in turn (as `FederationPeers` sets servers up).
    public static func run(
        database: PostgresProcessDatabase, readers readerCount: Int = 2, persisters persisterCount: Int = 2, serverName: String = "suite.axon",
        federation: TestCertificateAuthority? = nil, _ body: (Running) async throws -> Void
    ) async throws {
        let redis = try await RedisServer()
        let dir = try TestEnvironment.temporaryDirectory("axon-cluster")
        let nginxPort = try await FreePort.next()
        let tlsPort = try await FreePort.next()
        let serverName = federation == nil ? serverName : "127.0.0.1:\(tlsPort)"
        let tlsFiles = try await federation?.serverCertificate(for: ["127.0.0.1"])
        let federationConfig = federation.map {
            """
            federation_custom_ca_list: [\($0.certificatePath)]
            ip_range_whitelist: ['127.0.0.0/8']
            trusted_key_servers: []
            allow_public_rooms_over_federation: true
            \(FederationPeers.quickRetries)
            federation_sender_instances: [federation-sender1]
            """
        } ?? ""
        let receiverPort = try await FreePort.next()
        let senderPort = try await FreePort.next()
        let keyPath = dir.appendingPathComponent("signing.key").path
        try SigningKey.keyFileContents([try SigningKey.generate()]).write(toFile: keyPath, atomically: true, encoding: .utf8)
        let mainPort = try await FreePort.next()
        let replicationPort = try await FreePort.next()
        let shared = dir.appendingPathComponent("homeserver.yaml").path
        var persisterPorts: [Int] = []
        for _ in 0..<persisterCount { persisterPorts.append(try await FreePort.next()) }
        let persisterNames = persisterPorts.indices.map { "event-persister\($0 + 1)" }
        let persisterMap = zip(persisterNames, persisterPorts).map { "  \($0): {host: 127.0.0.1, port: \($1)}" }.joined(separator: "\n")
        let eventWriters = persisterNames.isEmpty ? "" : "stream_writers: {events: [\(persisterNames.joined(separator: ", "))]}"
        try """
            server_name: "\(serverName)"
            listeners:
              - {port: \(mainPort), bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [client, federation, metrics]}]}
              - {port: \(replicationPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [replication]}]}
            \(database.yaml)
            signing_key_path: \(keyPath)
            media_store_path: \(dir.path)/media
            enable_media_repo: false
            report_stats: false
            enable_metrics: true
            redis: {enabled: true, host: 127.0.0.1, port: \(redis.port)}
            worker_replication_secret: cluster-replication-secret
            instance_map:
              main: {host: 127.0.0.1, port: \(replicationPort)}
            \(persisterMap)
            \(eventWriters)
            \(federationConfig)
            \(HomeserverKind.liftedLimits)
            """.write(toFile: shared, atomically: true, encoding: .utf8)
        var federationWorkers: [(executable: String, path: String, port: Int)] = []
        if federation != nil {
            for (name, executable, port, resources) in [
                ("federation-receiver1", "axon-federation-receiver", receiverPort, "federation, metrics"),
                ("federation-sender1", "axon-federation-sender", senderPort, "metrics"),
            ] {
                let path = dir.appendingPathComponent("\(name).yaml").path
                try """
                    worker_app: synapse.app.generic_worker
                    worker_name: \(name)
                    worker_listeners:
                      - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [\(resources)]}]}
                    """.write(toFile: path, atomically: true, encoding: .utf8)
                federationWorkers.append((executable, path, port))
            }
        }
        var persisterArguments: [[String]] = []
        for (name, port) in zip(persisterNames, persisterPorts) {
            let path = dir.appendingPathComponent("\(name).yaml").path
            try """
                worker_app: synapse.app.generic_worker
                worker_name: \(name)
                worker_listeners:
                  - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [replication, metrics]}]}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            persisterArguments.append(["-c", shared, "-c", path])
        }
        var readerConfigs: [(path: String, port: Int)] = []
        for index in 1...readerCount {
            let port = try await FreePort.next()
            let path = dir.appendingPathComponent("client-reader\(index).yaml").path
            try """
                worker_app: synapse.app.generic_worker
                worker_name: client-reader\(index)
                worker_listeners:
                  - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [client, federation, metrics]}]}
                """.write(toFile: path, atomically: true, encoding: .utf8)
            readerConfigs.append((path, port))
        }
        let mediaPort = try await FreePort.next()
        let mediaConfig = dir.appendingPathComponent("media1.yaml").path
        try """
            worker_app: synapse.app.media_repository
            worker_name: media1
            worker_listeners:
              - {port: \(mediaPort), bind_addresses: ['127.0.0.1'], type: http, x_forwarded: true, resources: [{names: [media, metrics]}]}
            """.write(toFile: mediaConfig, atomically: true, encoding: .utf8)
        let mediaArguments = ["-c", shared, "-c", mediaConfig]
        let tlsArguments = tlsFiles.map { ["--loopback-tls-port", String(tlsPort), "--tls-certificate", $0.certificate, "--tls-key", $0.key] } ?? []
        let site = try await ServerProcess.runToCompletion(
            "axon",
            ["routes", "--nginx", "-c", shared, "--loopback-port", String(nginxPort)] + tlsArguments
                + readerConfigs.flatMap { ["--worker", "axon-client-reader=\($0.path)"] } + ["--worker", "axon-media=\(mediaConfig)"]
                + federationWorkers.filter { $0.executable == "axon-federation-receiver" }.flatMap { ["--worker", "\($0.executable)=\($0.path)"] }
        )
        guard site.status == 0 else { throw ServerProcess.ProcessFailure(description: "axon routes --nginx: \(site.output)") }
        let nginxConfig = try writeNginxConfig(site: site.output, in: dir)

        let main = try ServerProcess(executable: "axon", arguments: ["-c", shared], baseURL: "http://127.0.0.1:\(mainPort)")
        try await main.whileRunning {
            try await main.waitUntilHealthy()
            let readerArguments = readerConfigs.map { ["-c", shared, "-c", $0.path] }
            let persisters = try zip(persisterPorts, persisterArguments).map { port, arguments in
                try ServerProcess(executable: "axon-event-persister", arguments: arguments, baseURL: "http://127.0.0.1:\(port)")
            }
            let readers = try zip(readerConfigs, readerArguments).map { config, arguments in
                try ServerProcess(executable: "axon-client-reader", arguments: arguments, baseURL: "http://127.0.0.1:\(config.port)")
            }
            let federationProcesses = try federationWorkers.map { worker in
                try ServerProcess(executable: worker.executable, arguments: ["-c", shared, "-c", worker.path], baseURL: "http://127.0.0.1:\(worker.port)")
            }
            let media = try ServerProcess(executable: "axon-media", arguments: mediaArguments, baseURL: "http://127.0.0.1:\(mediaPort)")
            let workers = persisters + readers + federationProcesses + [media]
            do {
                let proxy = try ServerProcess(executable: nginx, arguments: ["-c", nginxConfig, "-e", "stderr"], baseURL: "http://127.0.0.1:\(nginxPort)")
                try await proxy.whileRunning {
                    for worker in workers { try await worker.waitUntilReady() }
                    try await main.waitUntilReady()
                    try await proxy.waitUntilHealthy()
                    try await body(
                        Running(
                            baseURL: proxy.baseURL, serverName: serverName, main: main, readers: readers, persisters: persisters, redis: redis,
                            readerArguments: readerArguments, persisterArguments: persisterArguments,
                            federationReceiver: federationProcesses.first, federationSender: federationProcesses.dropFirst().first,
                            receiverArguments: federationWorkers.first.map { ["-c", shared, "-c", $0.path] } ?? [],
                            media: media, mediaArguments: mediaArguments, mediaStore: "\(dir.path)/media"
                        )
                    )
                }
            } catch {
                for worker in workers { await worker.stop() }
                throw error
            }
            for worker in workers { await worker.stop() }
        }
    }

    /// A whole nginx configuration around `site`, with every path it writes under `dir`, running in the foreground.
    public static func writeNginxConfig(site: String, in dir: URL) throws -> String {
        let temp = dir.appendingPathComponent("nginx-temp").path
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let sitePath = dir.appendingPathComponent("site.conf").path
        try site.write(toFile: sitePath, atomically: true, encoding: .utf8)
        let path = dir.appendingPathComponent("nginx.conf").path
        try """
            daemon off;
            worker_processes 1;
            pid \(dir.path)/nginx.pid;
            error_log stderr warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(temp)/body;
                proxy_temp_path \(temp)/proxy;
                fastcgi_temp_path \(temp)/fastcgi;
                uwsgi_temp_path \(temp)/uwsgi;
                scgi_temp_path \(temp)/scgi;
                include \(sitePath);
            }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

extension ServerProcess {
    /// The events this process has persisted, from its metrics (`axon_events_persisted_total`; 0 before the first).
    public func persistedEvents() async throws -> Int {
        let text = try await TestHTTP.request("GET", baseURL + "/_synapse/metrics").body
        return text.split(separator: "\n").first { $0.hasPrefix("axon_events_persisted_total ") }
            .flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
    }

    /// Waits until `/health/ready` answers 200 (a worker has heard from the main process), failing early if it exits.
    public func waitUntilReady(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = child.exitStatus { throw ProcessFailure(description: "exited with \(status):\n\(log)") }
            if try await TestHTTP.request("GET", baseURL + "/health/ready").status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ProcessFailure(description: "not ready after \(timeout):\n\(log)")
    }
}
