import AxonConfig
import Logging

/// Loads the config for a starting process, logging warnings and failing with every error listed.
enum ConfigLoading {
    static func load(_ paths: [String], logger: Logger) throws -> LoadedConfig {
        let loaded = try ConfigLoader.load(paths: paths)
        for warning in loaded.warnings {
            logger.warning("config: \(warning)")
        }
        return loaded
    }
}
