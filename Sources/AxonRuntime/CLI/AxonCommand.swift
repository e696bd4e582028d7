public import ArgumentParser
import MatrixHTTP

/// `axon`: the main process, and the admin subcommands that act on its config.
public struct AxonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "axon",
        abstract: "Axon, a Matrix homeserver.",
        subcommands: [ServeCommand.self, GenerateConfigCommand.self, CheckConfigCommand.self, RegisterUserCommand.self, RoutesCommand.self],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}
}

/// Runs the main process: migrations, then every route not given to a worker.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the main process (the default).")

    @OptionGroup var config: ConfigPathOptions

    func run() async throws {
        try await ProcessLauncher.run(role: .main, configPaths: config.paths)
    }
}

extension AxonCommand {
    /// The executable's entry point. Called from an async function so the asynchronous `main` overload
    /// is the one chosen.
    public static func start() async {
        await main(nil)
    }
}
