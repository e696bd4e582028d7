import ArgumentParser
import AxonConfig

/// Validates a config without starting anything, listing every problem at once.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check-config", abstract: "Check a config and list every problem in it.")

    @OptionGroup var config: ConfigPathOptions

    func run() async throws {
        let loaded = try ConfigLoader.load(paths: config.paths)
        for warning in loaded.warnings {
            print("warning: \(warning)")
        }
        print("Config OK for \(loaded.config.server.serverName).")
    }
}
