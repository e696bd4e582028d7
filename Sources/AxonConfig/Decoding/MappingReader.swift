/// Reads a YAML mapping key by key and remembers which keys were asked for, so the keys nobody asked
/// for can be reported as unknown with their full path.
final class MappingReader {
    let node: ConfigNode
    let path: ConfigPath
    let log: DiagnosticLog
    private let values: [String: ConfigNode]
    private let order: [String]
    private var consumed: Set<String> = []

    init(node: ConfigNode, path: ConfigPath, log: DiagnosticLog) {
        self.node = node
        self.path = path
        self.log = log
        var values: [String: ConfigNode] = [:]
        var order: [String] = []
        if case .mapping(let entries) = node.value {
            for entry in entries {
                if values.updateValue(entry.value, forKey: entry.key) == nil { order.append(entry.key) }
            }
        }
        self.values = values
        self.order = order
    }

    /// Whether the key is present with a non-null value. Does not count as reading it.
    func has(_ key: String) -> Bool {
        values[key].map { !$0.isNull } ?? false
    }

    /// Whether the key is present with an explicit null (`key:` or `key: ~`). Counts as reading it.
    func isNull(_ key: String) -> Bool {
        consumed.insert(key)
        return values[key]?.isNull ?? false
    }

    /// The value for `key`, or `nil` when absent or null (Synapse treats `key:` with no value as unset).
    func value(_ key: String) -> ValueReader? {
        consumed.insert(key)
        guard let node = values[key], !node.isNull else { return nil }
        return ValueReader(node: node, path: path.appending(key), log: log)
    }

    /// Like `value(_:)`, but a missing key is an error.
    func required(_ key: String) -> ValueReader? {
        guard let reader = value(key) else {
            log.error("missing required key", at: path.appending(key), node: node)
            return nil
        }
        return reader
    }

    func string(_ key: String) -> String? { value(key)?.string() }
    func int(_ key: String) -> Int? { value(key)?.int() }
    func double(_ key: String) -> Double? { value(key)?.double() }
    func stringList(_ key: String) -> [String]? { value(key)?.stringList() }
    func mapping(_ key: String) -> MappingReader? { value(key)?.mapping() }
    func size(_ key: String) -> Int? { value(key)?.size() }
    func duration(_ key: String) -> Int? { value(key)?.duration() }

    func bool(_ key: String, default fallback: Bool) -> Bool {
        value(key)?.bool() ?? fallback
    }

    /// Records an error about `key` at the key's own value when present, else at this mapping.
    func error(_ key: String, _ message: String) {
        log.error(message, at: path.appending(key), node: values[key] ?? node)
    }

    /// Marks keys as read without decoding them: settings accepted for compatibility.
    func accept(_ keys: some Sequence<String>) {
        consumed.formUnion(keys)
    }

    /// Keys present in the file that nothing asked for, in file order.
    var unreadKeys: [(key: String, node: ConfigNode)] {
        order.filter { !consumed.contains($0) }.compactMap { key in values[key].map { (key, $0) } }
    }

    /// Warns about every key nothing asked for. Call once a nested section has been fully decoded.
    func warnAboutUnknownKeys() {
        for (key, value) in unreadKeys {
            log.warning("unknown key", at: path.appending(key), node: value)
        }
    }
}
