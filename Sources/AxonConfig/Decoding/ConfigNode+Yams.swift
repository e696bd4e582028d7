import Yams

extension ConfigNode {
    /// Parses one YAML document. An empty document gives `nil`, as PyYAML's `safe_load` gives `None`.
    static func parse(yaml: String, file: String?) throws -> ConfigNode? {
        guard let root = try Yams.compose(yaml: yaml) else { return nil }
        return ConfigNode(root, file: file)
    }

    /// Converts with YAML 1.1 scalar rules (the ones PyYAML applies to Synapse's files), resolving
    /// `<<` merge keys the way PyYAML does: keys written in the mapping win over merged ones.
    init(_ node: Node, file: String?) {
        self.file = file
        self.line = node.mark?.line
        switch node {
        case .scalar(let scalar):
            text = scalar.string
            value = ConfigNode.resolve(scalar, tag: Resolver.default.resolveTag(of: node))
        case .sequence(let sequence):
            text = ""
            value = .sequence(sequence.map { ConfigNode($0, file: file) })
        case .mapping(let mapping):
            text = ""
            value = .mapping(ConfigNode.entries(of: mapping, file: file))
        case .alias:
            // Yams substitutes the anchored node while composing, so an alias only remains if unresolvable.
            text = ""
            value = .null
        }
    }

    private static func entries(of mapping: Node.Mapping, file: String?) -> [Entry] {
        var own: [Entry] = []
        var merged: [Entry] = []
        for (key, value) in mapping {
            if Resolver.default.resolveTag(of: key) == .merge {
                merged += mergeSources(value, file: file)
            } else {
                own.append(Entry(key: key.scalar?.string ?? ConfigNode(key, file: file).summary, value: ConfigNode(value, file: file)))
            }
        }
        let ownKeys = Set(own.map(\.key))
        var seen = Set<String>()
        let inherited = merged.filter { !ownKeys.contains($0.key) && seen.insert($0.key).inserted }
        return inherited + own
    }

    /// `<<: *a` or `<<: [*a, *b]`; with a list, earlier mappings win.
    private static func mergeSources(_ node: Node, file: String?) -> [Entry] {
        switch node {
        case .mapping(let mapping): entries(of: mapping, file: file)
        case .sequence(let sequence): sequence.compactMap(\.mapping).flatMap { entries(of: $0, file: file) }
        default: []
        }
    }

    private static func resolve(_ scalar: Node.Scalar, tag: Tag.Name) -> Value {
        let text = scalar.string
        switch tag {
        case .null: return .null
        case .bool: return .bool(["yes", "true", "on"].contains(text.lowercased()))
        case .int: return YAMLNumber.integer(text).map(Value.int) ?? .string(text)
        case .float: return YAMLNumber.double(text).map(Value.double) ?? .string(text)
        default: return .string(text)
        }
    }
}
