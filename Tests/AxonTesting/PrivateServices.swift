import Foundation

/// A PostgreSQL cluster (and Redis) of one test's own, started by `Tests/tools/test-services.sh`, for tests that
/// restart the database under running processes without disturbing other suites.
public final class PrivateServices: Sendable {
    public let directory: URL
    /// The cluster's `postgres` database as a homeserver.yaml `database:` section.
    public let database: PostgresProcessDatabase

    private static var script: String { TestEnvironment.packageRoot.appendingPathComponent("Tests/tools/test-services.sh").path }

    private init(directory: URL, database: PostgresProcessDatabase) {
        self.directory = directory
        self.database = database
    }

    public static func start() async throws -> PrivateServices {
        let directory = try TestEnvironment.temporaryDirectory("axon-services")
        let started = try await ChildProcess.run("/bin/bash", [script, "start", directory.path])
        guard started.status == 0 else { throw ServerProcess.ProcessFailure(description: "test-services.sh start: \(started.output)") }
        let env = try String(contentsOf: directory.appendingPathComponent("env"), encoding: .utf8)
        guard let port = env.firstMatch(of: /port=([0-9]+)/)?.1 else { throw ServerProcess.ProcessFailure(description: "no port in \(env)") }
        let yaml = """
            database:
              name: psycopg2
              args: {host: 127.0.0.1, port: \(port), user: postgres, database: postgres, cp_min: 1, cp_max: 8}
            """
        return PrivateServices(directory: directory, database: PostgresProcessDatabase(name: "postgres", yaml: yaml))
    }

    /// Restarts PostgreSQL with its data: every open connection is cut.
    public func restartPostgres() async throws {
        let restarted = try await ChildProcess.run("/bin/bash", [Self.script, "restart-postgres", directory.path])
        guard restarted.status == 0 else { throw ServerProcess.ProcessFailure(description: "restart-postgres: \(restarted.output)") }
    }

    public func stop() async {
        _ = try? await ChildProcess.run("/bin/bash", [Self.script, "stop", directory.path])
    }
}
