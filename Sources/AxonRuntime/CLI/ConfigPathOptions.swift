import ArgumentParser

/// `-c FILE` / `--config-path PATH`, repeatable as in Synapse; a directory stands for its `*.yaml` files.
struct ConfigPathOptions: ParsableArguments {
    @Option(
        name: [.customShort("c"), .customLong("config-path")],
        help: ArgumentHelp("A config file or a directory of *.yaml files; repeat to merge, later keys winning.", valueName: "path")
    )
    var paths: [String] = []

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Give at least one config file with -c.") }
    }
}
