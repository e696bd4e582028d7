@testable import AxonConfig

/// Loads YAML text as if it were `<configDirectory>/homeserver.yaml`, with relative paths under `/srv`.
func load(_ yaml: String) throws(ConfigErrors) -> LoadedConfig {
    try ConfigLoader.load(yaml: yaml, configDirectory: "/etc/axon", workingDirectory: "/srv/axon")
}

/// The errors loading `yaml` produces; an empty list if it loads.
func errors(_ yaml: String) -> [ConfigDiagnostic] {
    do {
        _ = try load(yaml)
        return []
    } catch {
        return error.errors
    }
}

/// The smallest config Axon accepts.
let minimalYAML = """
    server_name: example.org
    database:
      name: sqlite3
      args:
        database: /var/lib/axon/homeserver.db

    """
