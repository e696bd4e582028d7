import Yams

/// Turns a Yams parse failure into a one-line diagnostic at the line it points to.
enum YAMLSyntaxError {
    static func diagnostic(_ error: any Error, file: String) -> ConfigDiagnostic {
        let (message, line) = describe(error)
        return ConfigDiagnostic(severity: .error, path: "", message: message, file: file, line: line)
    }

    private static func describe(_ error: any Error) -> (String, Int?) {
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return ("invalid YAML: \(prefix)\(problem)", mark.line)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            return ("invalid YAML: key \(keys) appears more than once in one mapping", context.mark.line)
        default:
            return ("invalid YAML: \(error)", nil)
        }
    }
}
