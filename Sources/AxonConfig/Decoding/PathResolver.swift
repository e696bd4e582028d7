/// Makes configured paths absolute at load time. Synapse opens relative paths (`media_store_path`,
/// `pid_file`, `signing_key_path`, the SQLite `database`) relative to the process's working directory, so
/// Axon does the same, once, so that nothing later depends on the working directory.
struct PathResolver: Sendable {
    /// Absolute directory relative paths are resolved against.
    let workingDirectory: String
    /// Absolute directory of the last config file read; Synapse puts the default signing key there.
    let configDirectory: String

    func absolute(_ path: String) -> String {
        Self.normalised(path.hasPrefix("/") ? path : "\(workingDirectory)/\(path)")
    }

    /// Removes `.`, `..` and repeated slashes, as Python's `os.path.abspath` does.
    static func normalised(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }
}
