import Foundation

/// Reads the `*_path` twin of a secret setting at load time, as Synapse does, so a missing or unreadable
/// file is a config error rather than a failure later.
struct SecretFileReader {
    let paths: PathResolver

    /// The secret from `inline` or from the file named by `path`; both set is the `conflict` error.
    func secret(_ reader: MappingReader, inline: String, path: String, conflict: String) -> Secret? {
        let inlineValue = reader.string(inline)
        guard let pathValue = reader.value(path), let file = pathValue.string() else {
            return inlineValue.map(Secret.init)
        }
        if inlineValue != nil {
            pathValue.error(conflict)
            return nil
        }
        let absolute = paths.absolute(file)
        switch TextFile.read(absolute) {
        case .success(let contents):
            return Secret(contents.trimmingCharacters(in: .whitespacesAndNewlines))
        case .failure(let problem):
            pathValue.error("cannot read \(absolute): \(problem)")
            return nil
        }
    }
}
