/// One problem found while loading configuration, with the key path and file position it concerns, so an
/// admin can fix every mistake in one pass instead of one per restart.
public struct ConfigDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable, Comparable {
        /// Axon refuses to start.
        case error
        /// Axon starts, but something in the file is probably not what the admin meant (an unknown key).
        case warning
        /// A Synapse setting Axon accepts and does not act on.
        case note

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }
    }

    public var severity: Severity
    /// Dotted key path such as `database.args.cp_min` or `listeners[0].port`; empty for a whole file.
    public var path: String
    public var message: String
    /// The file the offending value came from, when known.
    public var file: String?
    /// 1-based line in `file`, when known.
    public var line: Int?

    public init(severity: Severity, path: String, message: String, file: String? = nil, line: Int? = nil) {
        self.severity = severity
        self.path = path
        self.message = message
        self.file = file
        self.line = line
    }

    /// `database.args.cp_min: expected an integer, got "five" (/etc/axon/homeserver.yaml:14)`.
    public var description: String {
        var text = path.isEmpty ? message : "\(path): \(message)"
        switch (file, line) {
        case let (file?, line?): text += " (\(file):\(line))"
        case let (file?, nil): text += " (\(file))"
        default: break
        }
        return text
    }
}

/// Every error found in the configuration, reported together.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigDiagnostic]
    /// Warnings found on the way, so `check-config` can show them next to the errors.
    public var warnings: [ConfigDiagnostic]

    public init(errors: [ConfigDiagnostic], warnings: [ConfigDiagnostic] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    public var description: String {
        let noun = errors.count == 1 ? "error" : "errors"
        return (["Configuration has \(errors.count) \(noun):"] + errors.map { "  - \($0)" }).joined(separator: "\n")
    }
}

/// A configuration that loaded, with what is worth telling the admin about it.
public struct LoadedConfig: Sendable {
    public var config: HomeserverConfig
    /// Unknown keys and other likely mistakes that do not stop Axon.
    public var warnings: [ConfigDiagnostic]
    /// Synapse settings Axon accepted and ignores; worth a debug-level log line at most.
    public var notes: [ConfigDiagnostic]
    /// The files read, in the order they were merged.
    public var files: [String]

    public init(config: HomeserverConfig, warnings: [ConfigDiagnostic], notes: [ConfigDiagnostic], files: [String]) {
        self.config = config
        self.warnings = warnings
        self.notes = notes
        self.files = files
    }
}
