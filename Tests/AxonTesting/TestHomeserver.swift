import Foundation
import MatrixCrypto

/// A homeserver the client suite runs against: Axon on either engine, or a real Synapse from PyPI, each a
/// separate process on loopback with open registration and rate limits lifted. Tests see only its base URL.
public enum HomeserverKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case axonSQLite = "Axon on SQLite"
    case axonPostgres = "Axon on PostgreSQL"
    case synapse = "Synapse"
    /// The main process and two client readers on PostgreSQL and Redis, behind nginx routing by the route table.
    case axonWorkers = "Axon workers behind nginx"
    /// Every request to one client reader, which forwards what the main process serves (writes) to it.
    case axonForwarding = "an Axon client reader forwarding to main"
    /// A server already running at `AXON_TEST_BASE_URL` (server name `AXON_TEST_SERVER_NAME`), such as a worker
    /// cluster behind nginx; it must allow open registration and lift rate limits as `liftedLimits` does.
    case external = "the server at AXON_TEST_BASE_URL"

    public var description: String { rawValue }

    /// Axon-only scenarios run everywhere but on Synapse.
    public var isAxon: Bool { self != .synapse }

    static var externalURL: String? { TestEnvironment.environment["AXON_TEST_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Whether this machine can run it (`make test` provides everything).
    public var isAvailable: Bool {
        switch self {
        case .axonSQLite: true
        case .axonPostgres: TestPostgres.conninfo != nil
        case .synapse: TestEnvironment.synapsePython != nil
        case .axonWorkers, .axonForwarding: WorkerCluster.isAvailable
        case .external: Self.externalURL != nil
        }
    }

    /// The rate limits both servers get, lifted so tests measure behaviour rather than throttling.
    public static let liftedLimits = """
        rc_message: {per_second: 100000, burst_count: 100000}
        rc_registration: {per_second: 100000, burst_count: 100000}
        rc_login: {address: {per_second: 100000, burst_count: 100000}, account: {per_second: 100000, burst_count: 100000}, failed_attempts: {per_second: 100000, burst_count: 100000}}
        rc_joins: {local: {per_second: 100000, burst_count: 100000}, remote: {per_second: 100000, burst_count: 100000}}
        rc_joins_per_room: {per_second: 100000, burst_count: 100000}
        rc_invites: {per_room: {per_second: 100000, burst_count: 100000}, per_user: {per_second: 100000, burst_count: 100000}, per_issuer: {per_second: 100000, burst_count: 100000}}
        rc_room_creation: {per_second: 100000, burst_count: 100000}
        rc_presence: {per_user: {per_second: 100000, burst_count: 100000}}
        enable_registration: true
        enable_registration_without_verification: true
        bcrypt_rounds: 4
        allow_public_rooms_without_auth: true
        allow_guest_access: true
        room_list_publication_rules: [{user_id: "@denied*", action: deny}, {user_id: "*", action: allow}]
        max_upload_size: 10M
        """

    /// Starts the server, runs `body` with its base URL and server name, and stops it.
    public func run(_ body: (_ baseURL: String, _ serverName: String) async throws -> Void) async throws {
        switch self {
        case .axonSQLite:
            try await Self.runAxon(database: nil, body)
        case .axonPostgres:
            try await PostgresProcessDatabase.withEmpty { database in try await Self.runAxon(database: database.yaml, body) }
        case .synapse:
            try await Self.runSynapse(body)
        case .axonWorkers:
            try await PostgresProcessDatabase.withEmpty { database in
                try await WorkerCluster.run(database: database) { cluster in try await body(cluster.baseURL, cluster.serverName) }
            }
        case .axonForwarding:
            try await PostgresProcessDatabase.withEmpty { database in
                try await WorkerCluster.run(database: database, readers: 1) { cluster in try await body(cluster.readers[0].baseURL, cluster.serverName) }
            }
        case .external:
            guard let url = Self.externalURL, let name = TestEnvironment.environment["AXON_TEST_SERVER_NAME"] else {
                throw ServerProcess.ProcessFailure(description: "set AXON_TEST_BASE_URL and AXON_TEST_SERVER_NAME")
            }
            try await body(url, name)
        }
    }

    private static func runAxon(database: String?, _ body: (String, String) async throws -> Void) async throws {
        let dir = try TestEnvironment.temporaryDirectory("axon-client-suite")
        let keyPath = dir.appendingPathComponent("signing.key").path
        try SigningKey.keyFileContents([try SigningKey.generate()]).write(toFile: keyPath, atomically: true, encoding: .utf8)
        let port = try await FreePort.next()
        let config = dir.appendingPathComponent("homeserver.yaml").path
        try """
            server_name: suite.axon
            listeners:
              - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client, federation]}]}
            \(database ?? "database: {name: sqlite3, args: {database: \(dir.path)/homeserver.db}}")
            media_store_path: \(dir.path)/media
            signing_key_path: \(keyPath)
            report_stats: false
            \(liftedLimits)
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let server = try ServerProcess(executable: "axon", arguments: ["-c", config], baseURL: "http://127.0.0.1:\(port)")
        try await server.whileRunning {
            try await server.waitUntilHealthy()
            try await body(server.baseURL, "suite.axon")
        }
    }

    private static func runSynapse(_ body: (String, String) async throws -> Void) async throws {
        guard let python = TestEnvironment.synapsePython else { throw ServerProcess.ProcessFailure(description: "no Synapse venv") }
        let dir = try TestEnvironment.temporaryDirectory("synapse-client-suite")
        // In the config directory: the generated log config names `<working directory>/homeserver.log`.
        let generated = try await ServerProcess.runToCompletion(python, [
            "-m", "synapse.app.homeserver", "--server-name", "suite.synapse", "--config-path", dir.appendingPathComponent("homeserver.yaml").path,
            "--generate-config", "--report-stats=no", "--config-directory", dir.path, "--data-directory", dir.path,
        ], currentDirectory: dir)
        guard generated.status == 0 else { throw ServerProcess.ProcessFailure(description: "synapse --generate-config: \(generated.output)") }
        let port = try await FreePort.next()
        let override = dir.appendingPathComponent("suite.yaml").path
        try """
            public_baseurl: http://127.0.0.1:\(port)/
            listeners:
              - {port: \(port), bind_addresses: ['127.0.0.1'], type: http, tls: false, x_forwarded: false, resources: [{names: [client, federation]}]}
            trusted_key_servers: []
            suppress_key_server_warning: true
            \(liftedLimits)
            """.write(toFile: override, atomically: true, encoding: .utf8)
        let server = try ServerProcess(
            executable: python,
            arguments: ["-m", "synapse.app.homeserver", "-c", dir.appendingPathComponent("homeserver.yaml").path, "-c", override],
            baseURL: "http://127.0.0.1:\(port)", currentDirectory: dir
        )
        try await server.whileRunning {
            try await server.waitUntilHealthy(timeout: .seconds(90))
            try await body(server.baseURL, "suite.synapse")
        }
    }
}
