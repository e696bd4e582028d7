import Foundation
import MatrixCrypto

/// Two homeservers federating on loopback over TLS with certificates from one test CA: Axon, and optionally a real
/// Synapse. Each is named by its IP literal and TLS port (`127.0.0.1:PORT`), so no DNS is needed, and each trusts the
/// CA and allows loopback (`ip_range_whitelist`), as the federation tests set them up.
public enum FederationPeers {
    /// The `federation:` section both kinds of peer get: retries paced in seconds rather than Synapse's minutes, so a
    /// peer that was stopped is sent to again soon after it is back.
    public static let quickRetries =
        "federation: {max_long_retry_delay: 2s, destination_min_retry_interval: 2s, destination_max_retry_interval: 10s}"

    public struct Peer: Sendable {
        /// The plain HTTP client listener.
        public let clientURL: String
        public let serverName: String
        /// The TLS federation listener.
        public let federationURL: String
        /// The running server, for tests that stop or kill it.
        public let process: ServerProcess
        /// How to start it again on the same data (a new process answering at `clientURL`).
        public let restart: @Sendable () throws -> ServerProcess
        /// Its data directory (Axon's SQLite database is `homeserver.db` there).
        public let directory: URL
    }

    /// Where an Axon answers federation. The default is the usual test peer: named by its IP literal and port on
    /// 127.0.0.1, so no DNS is needed.
    public struct Placement: Sendable {
        /// The server name; `nil` names the server by the federation listener's address and port.
        public var serverName: String?
        /// The address the TLS federation listener binds.
        public var address: String
        /// Its port; `nil` takes a free one.
        public var port: Int?
        /// The names the listener's certificate is for.
        public var certificateNames: [String]
        /// Whether the federation listener also serves the client resource, with `serve_server_wellknown` on, so
        /// `https://<server name>/.well-known/matrix/server` delegates to `<server name>:443`.
        public var servesWellKnown: Bool

        public init(serverName: String? = nil, address: String = "127.0.0.1", port: Int? = nil, certificateNames: [String]? = nil, servesWellKnown: Bool = false) {
            self.serverName = serverName
            self.address = address
            self.port = port
            self.certificateNames = certificateNames ?? [serverName ?? address]
            self.servesWellKnown = servesWellKnown
        }

        public static let loopback = Placement()
    }

    /// Runs `body` with Axon on SQLite federating under its own name, placed as `placement` says; `extraConfig` is
    /// YAML added to its config.
    public static func withAxon<T>(
        ca: TestCertificateAuthority, placement: Placement = .loopback, extraConfig: String = "", _ body: (Peer) async throws -> T
    ) async throws -> T {
        let (dir, certificate, key, clientPort, federationPort, serverName) = try await prepare("axon-federation", ca: ca, placement: placement)
        let federationResources = placement.servesWellKnown ? "[client, federation]" : "[federation]"
        let config = dir.appendingPathComponent("homeserver.yaml").path
        try """
            server_name: "\(serverName)"
            listeners:
              - {port: \(clientPort), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client]}]}
              - {port: \(federationPort), bind_addresses: ['\(placement.address)'], type: http, tls: true, resources: [{names: \(federationResources)}]}
            serve_server_wellknown: \(placement.servesWellKnown)
            tls_certificate_path: \(certificate)
            tls_private_key_path: \(key)
            federation_custom_ca_list: [\(ca.certificatePath)]
            ip_range_whitelist: ['127.0.0.0/8']
            trusted_key_servers: []
            allow_public_rooms_over_federation: true
            \(FederationPeers.quickRetries)
            database: {name: sqlite3, args: {database: \(dir.path)/homeserver.db}}
            media_store_path: \(dir.path)/media
            signing_key_path: \(dir.path)/signing.key
            report_stats: false
            \(HomeserverKind.liftedLimits)
            \(extraConfig)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try SigningKey.keyFileContents([try SigningKey.generate()]).write(toFile: "\(dir.path)/signing.key", atomically: true, encoding: .utf8)
        let start = { @Sendable in try ServerProcess(executable: "axon", arguments: ["-c", config], baseURL: "http://127.0.0.1:\(clientPort)") }
        let server = try start()
        return try await server.whileRunning {
            try await server.waitUntilHealthy()
            return try await body(
                Peer(
                    clientURL: server.baseURL, serverName: serverName, federationURL: "https://\(placement.address):\(federationPort)", process: server,
                    restart: start, directory: dir
                )
            )
        }
    }

    /// Runs `body` with a real Synapse from PyPI federating under its own name.
    public static func withSynapse<T>(ca: TestCertificateAuthority, _ body: (Peer) async throws -> T) async throws -> T {
        guard let python = TestEnvironment.synapsePython else { throw ServerProcess.ProcessFailure(description: "no Synapse venv") }
        let (dir, certificate, key, clientPort, federationPort, serverName) = try await prepare("synapse-federation", ca: ca)
        let config = dir.appendingPathComponent("homeserver.yaml").path
        let generated = try await ServerProcess.runToCompletion(python, [
            "-m", "synapse.app.homeserver", "--server-name", serverName, "--config-path", config, "--generate-config", "--report-stats=no",
            "--config-directory", dir.path, "--data-directory", dir.path,
        ], currentDirectory: dir)
        guard generated.status == 0 else { throw ServerProcess.ProcessFailure(description: "synapse --generate-config: \(generated.output)") }
        let override = dir.appendingPathComponent("federation.yaml").path
        try """
            public_baseurl: http://127.0.0.1:\(clientPort)/
            listeners:
              - {port: \(clientPort), bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false, resources: [{names: [client]}]}
              - {port: \(federationPort), bind_addresses: ['127.0.0.1'], type: http, tls: true, resources: [{names: [federation, keys]}]}
            tls_certificate_path: \(certificate)
            tls_private_key_path: \(key)
            federation_custom_ca_list: [\(ca.certificatePath)]
            # Synapse checks an IP-literal destination against the blacklist alone (ip_range_whitelist does not
            # apply to it), so loopback leaves the blacklist here.
            ip_range_blacklist: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16']
            ip_range_whitelist: ['127.0.0.0/8']
            trusted_key_servers: []
            suppress_key_server_warning: true
            allow_public_rooms_over_federation: true
            \(FederationPeers.quickRetries)
            \(HomeserverKind.liftedLimits)
            """.write(toFile: override, atomically: true, encoding: .utf8)
        let start = { @Sendable in
            try ServerProcess(
                executable: python, arguments: ["-m", "synapse.app.homeserver", "-c", config, "-c", override],
                baseURL: "http://127.0.0.1:\(clientPort)", currentDirectory: dir
            )
        }
        let server = try start()
        return try await server.whileRunning {
            try await server.waitUntilHealthy(timeout: .seconds(90))
            return try await body(
                Peer(clientURL: server.baseURL, serverName: serverName, federationURL: "https://\(serverName)", process: server, restart: start, directory: dir)
            )
        }
    }

    /// A directory, a certificate for the placement's names, a free client port, the federation port (free unless
    /// placed), and the server name.
    private static func prepare(_ prefix: String, ca: TestCertificateAuthority, placement: Placement = .loopback) async throws
        -> (dir: URL, certificate: String, key: String, clientPort: Int, federationPort: Int, serverName: String)
    {
        let dir = try TestEnvironment.temporaryDirectory(prefix)
        let (certificate, key) = try await ca.serverCertificate(for: placement.certificateNames)
        let clientPort = try await FreePort.next()
        let federationPort: Int
        if let port = placement.port { federationPort = port } else { federationPort = try await FreePort.next() }
        return (dir, certificate, key, clientPort, federationPort, placement.serverName ?? "\(placement.address):\(federationPort)")
    }
}
