import ArgumentParser

/// Times any homeserver's Client-Server API: message load and the syncs of a big account.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "axon-bench",
        abstract: "Benchmark a Matrix homeserver over its Client-Server API.",
        discussion: "Registration with m.login.dummy must be open on the target, and its rate limits lifted.",
        subcommands: [LoadCommand.self, SyncCommand.self])
}
