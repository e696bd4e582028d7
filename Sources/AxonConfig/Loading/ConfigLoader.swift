import Foundation

/// Loads `homeserver.yaml` and friends the way Synapse does, and reports every problem at once.
///
/// Files are merged shallowly: a top-level key in a later file replaces the whole value from an earlier
/// one, so a worker file (or a `conf.d/` override) listed after the shared config wins. Relative paths
/// inside the config resolve against the working directory, as Synapse's do; the default
/// `signing_key_path` sits next to the last file read.
public enum ConfigLoader {
    /// Loads and merges the files (or directories of `*.yaml` files) at `paths`, in order.
    /// - Parameter workingDirectory: where relative paths resolve; the process's working directory if `nil`.
    /// - Throws: `ConfigErrors` listing every error found, with the warnings seen on the way.
    public static func load(paths: [String], workingDirectory: String? = nil) throws(ConfigErrors) -> LoadedConfig {
        let cwd = workingDirectory ?? FileManager.default.currentDirectoryPath
        let log = DiagnosticLog()
        let files = ConfigFileList.expand(paths, workingDirectory: cwd, log: log)
        if files.isEmpty, !log.hasErrors {
            log.error("no config files given; pass -c/--config-path with a file or a directory of *.yaml files", at: .root)
        }
        var documents: [ConfigNode] = []
        for file in files {
            switch TextFile.read(file) {
            case .success(let text):
                if let document = parse(text, file: file, log: log) { documents.append(document) }
            case .failure(let problem):
                log.append(ConfigDiagnostic(severity: .error, path: "", message: "cannot read config file: \(problem)", file: file))
            }
        }
        let directory = files.last.map(PathResolver.directory(of:)) ?? cwd
        return try decode(documents, files: files, paths: PathResolver(workingDirectory: cwd, configDirectory: directory), log: log)
    }

    /// Loads configuration from YAML text, for tests and tools that build a config in memory.
    public static func load(yaml: String, configDirectory: String, workingDirectory: String) throws(ConfigErrors) -> LoadedConfig {
        let log = DiagnosticLog()
        let documents = parse(yaml, file: nil, log: log).map { [$0] } ?? []
        let paths = PathResolver(workingDirectory: workingDirectory, configDirectory: configDirectory)
        return try decode(documents, files: [], paths: paths, log: log)
    }

    private static func parse(_ text: String, file: String?, log: DiagnosticLog) -> ConfigNode? {
        let document: ConfigNode?
        do {
            document = try ConfigNode.parse(yaml: text, file: file)
        } catch {
            var diagnostic = YAMLSyntaxError.diagnostic(error, file: file ?? "")
            diagnostic.file = file
            log.append(diagnostic)
            return nil
        }
        // Synapse skips such files with a printed message; Axon keeps going too but says so.
        guard let document else {
            log.append(ConfigDiagnostic(severity: .warning, path: "", message: "config file is empty; ignored", file: file))
            return nil
        }
        guard case .mapping = document.value else {
            log.append(
                ConfigDiagnostic(severity: .warning, path: "", message: "config file is not a mapping of keys to values; ignored", file: file, line: document.line)
            )
            return nil
        }
        return document
    }

    private static func decode(_ documents: [ConfigNode], files: [String], paths: PathResolver, log: DiagnosticLog) throws(ConfigErrors) -> LoadedConfig {
        guard !log.hasErrors else { throw errors(from: log, files: files) }
        let root = MappingReader(node: merged(documents), path: .root, log: log)
        let config = HomeserverConfig.decode(from: root, paths: paths)
        for (key, node) in root.unreadKeys {
            if SynapseKeys.all.contains(key) {
                log.note("Synapse setting that Axon does not use; ignored", at: ConfigPath.root.appending(key), node: node)
            } else {
                log.warning("unknown key", at: ConfigPath.root.appending(key), node: node)
            }
        }
        guard let config, !log.hasErrors else { throw errors(from: log, files: files) }
        let entries = inFileOrder(log.entries, files: files)
        return LoadedConfig(
            config: config, warnings: entries.filter { $0.severity == .warning }, notes: entries.filter { $0.severity == .note },
            files: files
        )
    }

    /// Top-level keys of later documents replace earlier ones; each value keeps its own file and line.
    private static func merged(_ documents: [ConfigNode]) -> ConfigNode {
        var entries: [ConfigNode.Entry] = []
        var index: [String: Int] = [:]
        for document in documents {
            guard case .mapping(let items) = document.value else { continue }
            for item in items {
                if let position = index[item.key] {
                    entries[position] = item
                } else {
                    index[item.key] = entries.count
                    entries.append(item)
                }
            }
        }
        return ConfigNode(value: .mapping(entries), text: "", file: nil, line: nil)
    }

    private static func errors(from log: DiagnosticLog, files: [String]) -> ConfigErrors {
        let entries = inFileOrder(log.entries, files: files)
        return ConfigErrors(errors: entries.filter { $0.severity == .error }, warnings: entries.filter { $0.severity == .warning })
    }

    /// Diagnostics in the order an admin reads the files: by file, then line. Those without a position
    /// (a missing required key, a file that does not exist) come last, in the order they were found.
    private static func inFileOrder(_ entries: [ConfigDiagnostic], files: [String]) -> [ConfigDiagnostic] {
        func rank(_ diagnostic: ConfigDiagnostic) -> (Int, Int) {
            let file = diagnostic.file.map { files.firstIndex(of: $0) ?? files.count } ?? 0
            guard let line = diagnostic.line, file < files.count || diagnostic.file == nil else { return (Int.max, Int.max) }
            return (file, line)
        }
        return entries.enumerated()
            .sorted { lhs, rhs in
                let (left, right) = (rank(lhs.element), rank(rhs.element))
                return left != right ? left < right : lhs.offset < rhs.offset
            }
            .map(\.element)
    }
}
