import Foundation

/// Expands `-c` arguments into the files to read, as Synapse's `find_config_files` does: a file is used as
/// given; a directory contributes its `*.yaml` files in name order (Debian's `conf.d/`), skipping
/// subdirectories and other files.
enum ConfigFileList {
    static func expand(_ paths: [String], workingDirectory: String, log: DiagnosticLog) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for given in paths {
            let path = given.hasPrefix("/") ? given : PathResolver.normalised("\(workingDirectory)/\(given)")
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                log.append(ConfigDiagnostic(severity: .error, path: "", message: "config file not found", file: path))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            guard let names = try? manager.contentsOfDirectory(atPath: path) else {
                log.append(ConfigDiagnostic(severity: .error, path: "", message: "cannot list config directory", file: path))
                continue
            }
            // Byte order, like Python's sort of the names, so the order does not depend on locale.
            for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let entry = "\(path)/\(name)"
                var entryIsDirectory: ObjCBool = false
                let exists = manager.fileExists(atPath: entry, isDirectory: &entryIsDirectory)
                if exists, !entryIsDirectory.boolValue, name.hasSuffix(".yaml") {
                    files.append(entry)
                } else {
                    let severity: ConfigDiagnostic.Severity = name.hasSuffix(".yml") ? .warning : .note
                    let message = "ignored: only *.yaml files in a config directory are read"
                    log.append(ConfigDiagnostic(severity: severity, path: "", message: message, file: entry))
                }
            }
        }
        return files
    }
}
