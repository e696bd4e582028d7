import AxonTesting
import Foundation
import MatrixTypes
import Testing

/// The path `make run` takes on a fresh machine, with the debug binary: generate a config and key, serve.
@Suite struct FirstRunTests {
    @Test func generateConfigThenServeVersions() async throws {
        let dataDir = try TestEnvironment.temporaryDirectory("axon-first-run")
        let port = try await FreePort.next()
        let generated = try await ServerProcess.runToCompletion(
            "axon", ["generate-config", "--server-name", "localhost", "--data-dir", dataDir.path, "--port", "\(port)"]
        )
        #expect(generated.status == 0, "\(generated.output)")
        let configPath = dataDir.appendingPathComponent("homeserver.yaml").path
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        let keyFile = try String(contentsOfFile: dataDir.appendingPathComponent("localhost.signing.key").path, encoding: .utf8)
        #expect(keyFile.hasPrefix("ed25519 a_"))
        let secret = try #require(config.firstMatch(of: /registration_shared_secret: "?([^"\n]+)"?/)?.1)
        TestSecrets.record(String(secret))

        let again = try await ServerProcess.runToCompletion(
            "axon", ["generate-config", "--server-name", "localhost", "--data-dir", dataDir.path, "--port", "\(port)"]
        )
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: configPath, encoding: .utf8) == config, "a second run keeps the config")

        let server = try ServerProcess(executable: "axon", arguments: ["-c", configPath], baseURL: "http://127.0.0.1:\(port)")
        defer { Task { await server.stop() } }
        try await server.waitUntilHealthy()

        let versions = try await TestHTTP.request("GET", server.baseURL + "/_matrix/client/versions")
        #expect(versions.status == 200)
        #expect(versions.json?["versions"]?.arrayValue?.isEmpty == false)
        let ready = try await TestHTTP.request("GET", server.baseURL + "/health/ready")
        #expect(ready.status == 200)
        #expect(ready.body == "OK")

        let token = "syt_secret_token_\(UUID().uuidString)"
        TestSecrets.record(token)
        let withToken = try await TestHTTP.request("GET", server.baseURL + "/_matrix/client/versions?access_token=\(token)")
        #expect(withToken.status == 200)
        await server.stop()
        #expect(server.log.contains("/_matrix/client/versions"), "requests are logged")
        #expect(!server.log.contains(token), "tokens never reach the log")
        #expect(FileManager.default.fileExists(atPath: dataDir.appendingPathComponent("homeserver.db").path))
    }
}
