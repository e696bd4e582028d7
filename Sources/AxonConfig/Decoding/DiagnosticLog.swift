/// Collects the diagnostics of one load. Decoding never stops at the first problem: it records it, uses the
/// default, and keeps going, so the admin sees every mistake at once.
final class DiagnosticLog {
    private(set) var entries: [ConfigDiagnostic] = []

    var hasErrors: Bool { entries.contains { $0.severity == .error } }

    func add(_ severity: ConfigDiagnostic.Severity, _ message: String, at path: ConfigPath, node: ConfigNode?) {
        entries.append(
            ConfigDiagnostic(severity: severity, path: path.description, message: message, file: node?.file, line: node?.line)
        )
    }

    func error(_ message: String, at path: ConfigPath, node: ConfigNode? = nil) {
        add(.error, message, at: path, node: node)
    }

    func warning(_ message: String, at path: ConfigPath, node: ConfigNode? = nil) {
        add(.warning, message, at: path, node: node)
    }

    func note(_ message: String, at path: ConfigPath, node: ConfigNode? = nil) {
        add(.note, message, at: path, node: node)
    }

    func append(_ diagnostic: ConfigDiagnostic) {
        entries.append(diagnostic)
    }
}
