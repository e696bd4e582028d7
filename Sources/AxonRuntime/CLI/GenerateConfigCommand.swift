import ArgumentParser
import AxonConfig
import Foundation

/// Writes a commented `homeserver.yaml` and a signing key on first run; on later runs keeps the config
/// and only creates a missing key, so `make run` can call it every time.
struct GenerateConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-config",
        abstract: "Write homeserver.yaml and a signing key into a data directory, unless they exist."
    )

    @Option(help: "The server name: the part after ':' in user IDs. It cannot be changed later.")
    var serverName: String

    @Option(help: "Directory for the config, the SQLite database, the signing key and media.")
    var dataDir: String

    @Option(help: "Port of the HTTP listener in a new config.")
    var port: Int = 8008

    func run() async throws {
        let dataDirectory = URL(fileURLWithPath: dataDir).standardizedFileURL.path
        let configPath = dataDirectory + "/homeserver.yaml"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: configPath) {
            print("\(configPath) exists; keeping it.")
        } else {
            let text = ConfigTemplate.render(serverName: serverName, dataDirectory: dataDirectory, port: port)
            guard FileManager.default.createFile(atPath: configPath, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw StartupError("Cannot write \(configPath).")
            }
            print("Wrote \(configPath).")
        }
        let config = try ConfigLoader.load(paths: [configPath]).config
        if try SigningKeyStore.createIfMissing(path: config.keys.signingKeyPath) {
            print("Wrote a new signing key to \(config.keys.signingKeyPath).")
        }
    }
}
