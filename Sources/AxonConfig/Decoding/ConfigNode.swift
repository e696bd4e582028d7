/// A YAML value with the file and line it came from. The Yams tree is converted into this once, so the
/// rest of the module works on a plain `Sendable` value and every diagnostic can point at its source.
struct ConfigNode: Sendable {
    enum Value: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        /// A string, or a scalar YAML resolves to a type config never uses (such as a timestamp).
        case string(String)
        case sequence([ConfigNode])
        case mapping([Entry])
    }

    struct Entry: Sendable {
        var key: String
        var value: ConfigNode
    }

    var value: Value
    /// The scalar as written, for messages such as `got "five"`; empty for collections.
    var text: String
    var file: String?
    var line: Int?

    var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// How a value is named in "expected …, got …" messages.
    var summary: String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .int, .double: text
        case .string(let string): "\"\(string)\""
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
