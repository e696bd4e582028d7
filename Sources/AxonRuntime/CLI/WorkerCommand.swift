import ArgumentParser
public import MatrixHTTP

/// The command line shared by every worker executable: `axon-<role> -c homeserver.yaml -c workers/NAME.yaml`.
public struct WorkerCommand {
    public static func main(role: ProcessRole) async {
        do {
            let options = try ConfigPathOptions.parse(Array(CommandLine.arguments.dropFirst()))
            try await ProcessLauncher.run(role: role, configPaths: options.paths)
        } catch {
            ConfigPathOptions.exit(withError: error)
        }
    }
}
