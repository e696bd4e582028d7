import CLibPQ

/// How to reach a PostgreSQL server and how many connections to keep.
///
/// Mirrors Synapse's `database: {name: psycopg2, args: {…}}` section: `host`, `port`, `user`,
/// `password`, `database`, `cp_min`, `cp_max`. A libpq conninfo string (`host=… port=…` or a
/// `postgresql://` URI) works too. The password is handed to libpq only; `description` omits it.
public struct PostgresConfiguration: Sendable, CustomStringConvertible {
    /// Connections opened at start and kept open (Synapse's `cp_min`).
    public var minConnections: Int
    /// Upper bound on connections, and the number of threads running blocking libpq calls (`cp_max`).
    public var maxConnections: Int
    /// libpq keyword/value pairs, in order; a later keyword overrides an earlier one.
    private var parameters: [Parameter]
    /// Whether the first `dbname` value is a whole conninfo string to expand.
    private let expandsConninfo: Bool

    struct Parameter: Sendable {
        let keyword: String
        let value: String
    }

    public init(
        host: String? = nil,
        port: Int? = nil,
        user: String? = nil,
        password: String? = nil,
        database: String? = nil,
        minConnections: Int = 5,
        maxConnections: Int = 10
    ) {
        let pairs: [(String, String?)] = [
            ("host", host), ("port", port.map(String.init)), ("user", user), ("password", password), ("dbname", database),
        ]
        self.parameters = pairs.compactMap { keyword, value in value.map { Parameter(keyword: keyword, value: $0) } }
        self.expandsConninfo = false
        self.minConnections = minConnections
        self.maxConnections = maxConnections
    }

    /// - Parameter conninfo: `"host=127.0.0.1 port=5432 user=axon dbname=axon"` or `"postgresql://…"`.
    public init(conninfo: String, minConnections: Int = 5, maxConnections: Int = 10) {
        self.parameters = [Parameter(keyword: "dbname", value: conninfo)]
        self.expandsConninfo = true
        self.minConnections = minConnections
        self.maxConnections = maxConnections
    }

    /// The same server and credentials, connecting to another database.
    public func database(_ name: String) -> PostgresConfiguration {
        var copy = self
        copy.parameters.append(Parameter(keyword: "dbname", value: name))
        return copy
    }

    /// The pairs passed to `PQconnectdbParams`, ending with Axon's defaults.
    var connectParameters: [Parameter] {
        parameters + [
            Parameter(keyword: "fallback_application_name", value: "axon"),
            Parameter(keyword: "connect_timeout", value: "10"),
        ]
    }

    var expandDatabaseName: Bool { expandsConninfo }

    /// Host, port, database and user, for logs and errors. Never the password.
    public var description: String {
        var settings: [String: String] = [:]
        for parameter in parameters {
            if parameter.keyword == "dbname", expandsConninfo, settings.isEmpty {
                settings.merge(Self.parse(conninfo: parameter.value)) { _, new in new }
            } else {
                settings[parameter.keyword] = parameter.value
            }
        }
        let shown = ["host", "port", "dbname", "user"].compactMap { key in settings[key].map { "\(key)=\($0)" } }
        return "postgres(\(shown.joined(separator: " ")))"
    }

    /// The non-empty settings of a conninfo string, as libpq reads them.
    private static func parse(conninfo: String) -> [String: String] {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            PQfreemem(error)
            return [:]
        }
        defer { PQconninfoFree(options) }
        var settings: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                settings[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        return settings
    }
}
