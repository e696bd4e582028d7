import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// An admin moving from Synapse keeps their config, and Axon never touches Synapse's database.
@Suite(.enabled(if: TestEnvironment.synapsePython != nil, "needs Synapse from PyPI (make venv)"))
struct SynapseCompatibilityTests {
    /// Runs Synapse's own `--generate-config` into a fresh directory.
    func synapseConfig(serverName: String) async throws -> URL {
        let dir = try TestEnvironment.temporaryDirectory("synapse-config")
        let python = try #require(TestEnvironment.synapsePython)
        // In the config directory: the generated log config names `<working directory>/homeserver.log`.
        let result = try await ServerProcess.runToCompletion(python, [
            "-m", "synapse.app.homeserver", "--server-name", serverName, "--config-path", dir.appendingPathComponent("homeserver.yaml").path,
            "--generate-config", "--report-stats=no", "--config-directory", dir.path, "--data-directory", dir.path,
        ], currentDirectory: dir)
        try #require(result.status == 0, "\(result.output)")
        return dir
    }

    /// A second config file moving the listener to a free port: both Synapse and Axon merge `-c` files.
    func listenerOverride(in dir: URL, name: String, port: Int) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try """
            listeners:
              - port: \(port)
                bind_addresses: ['127.0.0.1']
                type: http
                x_forwarded: true
                resources: [{names: [client, federation], compress: false}]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func synapseGeneratedConfigAndKeyStartAxonUnchanged() async throws {
        let dir = try await synapseConfig(serverName: "synapse-moved.test")
        let config = dir.appendingPathComponent("homeserver.yaml").path
        let original = try String(contentsOfFile: config, encoding: .utf8)
        let port = try await FreePort.next()
        let override = try listenerOverride(in: dir, name: "port.yaml", port: port)
        let server = try ServerProcess(executable: "axon", arguments: ["-c", config, "-c", override], baseURL: "http://127.0.0.1:\(port)")
        try await server.whileRunning {
            try await server.waitUntilHealthy()
            let versions = try await TestHTTP.request("GET", server.baseURL + "/_matrix/client/versions")
            #expect(versions.status == 200)
        }
        let levels = server.log.split(separator: "\n").filter { $0.contains(" error ") || $0.contains(" critical ") }
        #expect(levels.isEmpty, "only warnings expected:\n\(server.log)")
        #expect(try String(contentsOfFile: config, encoding: .utf8) == original)
        if let secret = original.firstMatch(of: /registration_shared_secret: "([^"]+)"/)?.1 {
            TestSecrets.record(String(secret))
        }
    }

    @Test func synapseDatabaseIsRefused() async throws {
        let dir = try await synapseConfig(serverName: "synapse-db.test")
        let config = dir.appendingPathComponent("homeserver.yaml").path
        let python = try #require(TestEnvironment.synapsePython)
        let synapsePort = try await FreePort.next()
        let synapseOverride = try listenerOverride(in: dir, name: "synapse-port.yaml", port: synapsePort)
        let synapse = try ServerProcess(
            executable: python, arguments: ["-m", "synapse.app.homeserver", "-c", config, "-c", synapseOverride],
            baseURL: "http://127.0.0.1:\(synapsePort)", currentDirectory: dir
        )
        try await synapse.whileRunning {
            try await synapse.waitUntilHealthy(timeout: .seconds(120))
        }
        let database = dir.appendingPathComponent("homeserver.db").path
        let before = try await ServerProcess.runToCompletion("/usr/bin/sqlite3", [database, ".dump"])

        let axonPort = try await FreePort.next()
        let axonOverride = try listenerOverride(in: dir, name: "axon-port.yaml", port: axonPort)
        let result = try await ServerProcess.runToCompletion("axon", ["-c", config, "-c", axonOverride])
        #expect(result.status != 0)
        #expect(result.output.contains("Synapse"), "\(result.output)")
        let after = try await ServerProcess.runToCompletion("/usr/bin/sqlite3", [database, ".dump"])
        #expect(after.output == before.output, "the refused database is left untouched")
    }
}
