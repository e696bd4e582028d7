import AxonConfig
import Foundation

/// Configs for tests that build a server in-process, loaded through the real loader.
public enum TestConfig {
    /// A monolith config on SQLite in a temporary directory; `extra` YAML is merged over it.
    public static func monolith(serverName: String = "axon.test", extra: String = "") throws -> HomeserverConfig {
        let dir = try TestEnvironment.temporaryDirectory("axon-test-config")
        let base = """
            server_name: \(serverName)
            listeners:
              - {port: 8008, bind_addresses: ['127.0.0.1'], type: http, resources: [{names: [client, federation]}]}
            database: {name: sqlite3, args: {database: \(dir.path)/homeserver.db}}
            media_store_path: \(dir.path)/media_store
            signing_key_path: \(dir.path)/signing.key
            report_stats: false
            """
        let basePath = dir.appendingPathComponent("homeserver.yaml").path
        try base.write(toFile: basePath, atomically: true, encoding: .utf8)
        var paths = [basePath]
        if !extra.isEmpty {
            let extraPath = dir.appendingPathComponent("extra.yaml").path
            try extra.write(toFile: extraPath, atomically: true, encoding: .utf8)
            paths.append(extraPath)
        }
        return try ConfigLoader.load(paths: paths).config
    }
}
