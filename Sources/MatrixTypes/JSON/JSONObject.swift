/// The members of a JSON object, named by keys that compare and hash by their UTF-8 bytes.
///
/// Matrix compares object keys by code point, so `"\u{E9}"` and `"e\u{301}"` are two members; a
/// `Dictionary<String, _>` would merge them (Swift strings compare by canonical equivalence) and lose one.
public struct JSONObject: Sendable, Hashable {
    private var members: [JSONKey: JSONValue]

    public init() {
        members = [:]
    }

    /// Later pairs replace earlier ones with the same key bytes.
    public init(_ pairs: some Sequence<(key: String, value: JSONValue)>) {
        members = [:]
        for (key, value) in pairs { members[JSONKey(key)] = value }
    }

    /// Traps on a repeated key (byte for byte), as `Dictionary(uniqueKeysWithValues:)` does.
    public init(uniqueKeysWithValues pairs: some Sequence<(String, JSONValue)>) {
        members = Dictionary(uniqueKeysWithValues: pairs.lazy.map { (JSONKey($0.0), $0.1) })
    }

    /// The member named exactly `key`; assigning `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { members[JSONKey(key)] }
        set { members[JSONKey(key)] = newValue }
    }

    public var count: Int { members.count }
    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.keys.map(\.string) }
    public var values: Dictionary<JSONKey, JSONValue>.Values { members.values }

    /// Whether a member named exactly `key` exists.
    public func contains(key: String) -> Bool {
        members[JSONKey(key)] != nil
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        members.removeValue(forKey: JSONKey(key))
    }

    /// Adds `other`'s members; `combine` picks the value where both have a member with the same key bytes.
    public mutating func merge(
        _ other: JSONObject,
        uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue
    ) rethrows {
        try members.merge(other.members, uniquingKeysWith: combine)
    }

    public func filter(_ isIncluded: (_ member: (key: String, value: JSONValue)) throws -> Bool) rethrows -> JSONObject {
        var kept = JSONObject()
        kept.members = try members.filter { try isIncluded(($0.key.string, $0.value)) }
        return kept
    }

    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var mapped = JSONObject()
        mapped.members = try members.mapValues(transform)
        return mapped
    }

    /// Members sorted by key bytes (code point order), as canonical JSON writes them.
    public func sortedByKey() -> [(key: String, value: JSONValue)] {
        members.sorted { $0.key.string.utf8.lexicographicallyPrecedes($1.key.string.utf8) }
            .map { ($0.key.string, $0.value) }
    }
}

extension JSONObject: Sequence {
    public struct Iterator: IteratorProtocol {
        fileprivate var base: Dictionary<JSONKey, JSONValue>.Iterator
        public mutating func next() -> (key: String, value: JSONValue)? {
            base.next().map { ($0.key.string, $0.value) }
        }
    }

    public func makeIterator() -> Iterator { Iterator(base: members.makeIterator()) }
    public var underestimatedCount: Int { members.count }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Traps on a repeated key, as a dictionary literal does.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}

/// A JSON object key that is equal to another only when their UTF-8 bytes are.
public struct JSONKey: Sendable, Hashable {
    public let string: String

    public init(_ string: String) {
        self.string = string
    }

    public static func == (lhs: JSONKey, rhs: JSONKey) -> Bool {
        lhs.string.hasSameBytes(as: rhs.string)
    }

    public func hash(into hasher: inout Hasher) {
        string.hashBytes(into: &hasher)
    }
}

extension String {
    /// Feeds the UTF-8 bytes to `hasher`, so canonically equivalent but different strings hash apart.
    func hashBytes(into hasher: inout Hasher) {
        var copy = self
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(utf8.count)
    }
}
