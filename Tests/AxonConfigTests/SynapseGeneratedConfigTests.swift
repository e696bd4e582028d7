import Foundation
import Testing

import AxonTesting
@testable import AxonConfig

/// The Python interpreter with Synapse installed; `make test` always sets it.
private let synapsePython = ProcessInfo.processInfo.environment["AXON_TEST_SYNAPSE_PYTHON"]

@Suite("Synapse's own generated config")
struct SynapseGeneratedConfigTests {
    @Test(
        "`synapse.app.homeserver --generate-config` output loads with notes and warnings only",
        .enabled(if: synapsePython != nil, "AXON_TEST_SYNAPSE_PYTHON is unset; skipping the Synapse config check")
    )
    func synapseConfigLoads() async throws {
        let python = try #require(synapsePython)
        let directory = try TemporaryDirectory()
        let generated = try await ChildProcess.run(
            python,
            [
                "-m", "synapse.app.homeserver", "--server-name", "localhost:8481", "--config-path", "\(directory.path)/homeserver.yaml",
                "--generate-config", "--report-stats=no", "--config-directory", directory.path, "--data-directory", directory.path,
            ],
            currentDirectory: directory.path
        )
        try #require(generated.status == 0, "Synapse could not generate a config:\n\(generated.output)")

        let loaded = try ConfigLoader.load(paths: ["\(directory.path)/homeserver.yaml"])
        let config = loaded.config
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(loaded.notes.map(\.path) == ["log_config", "macaroon_secret_key", "form_secret"])
        #expect(config.server.serverName == "localhost:8481")
        #expect(config.database == .sqlite(SQLiteConfig(path: "\(directory.path)/homeserver.db")))
        #expect(config.keys.signingKeyPath == "\(directory.path)/localhost:8481.signing.key")
        #expect(FileManager.default.fileExists(atPath: config.keys.signingKeyPath))
        #expect(config.listeners.first?.port == 8081)
        #expect(config.listeners.first?.serves(.client) == true && config.listeners.first?.serves(.federation) == true)
        #expect(config.registration.registrationSharedSecret != nil)
    }
}
