import Foundation

/// Reads config and secret files, turning failures into the short reasons admins expect
/// (`no such file`, `permission denied`) instead of Foundation's wrapper messages.
enum TextFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func read(_ path: String) -> Result<String, Problem> {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Problem(description: "no such file"))
        }
        guard !isDirectory.boolValue else { return .failure(Problem(description: "is a directory")) }
        guard files.isReadableFile(atPath: path) else { return .failure(Problem(description: "permission denied")) }
        guard let data = files.contents(atPath: path) else { return .failure(Problem(description: "cannot be read")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Problem(description: "is not UTF-8 text")) }
        return .success(text)
    }
}
