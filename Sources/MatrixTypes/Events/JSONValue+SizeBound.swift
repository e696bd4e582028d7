extension JSONValue {
    /// An upper bound on the length of the encoding, canonical or legacy, found without encoding.
    ///
    /// Each string byte counts six, the most an escape takes; each integer 20, the longest 64-bit one; each float
    /// 24, the longest Python `repr` of a double (`-2.2250738585072014e-308`).
    func encodedByteCountBound() -> Int {
        switch self {
        case .null: return 4
        case .bool: return 5
        case .integer: return 20
        case .bigInteger(let digits): return digits.utf8.count
        case .double: return 24
        case .string(let text): return 2 + 6 * text.utf8.count
        case .array(let elements):
            var total = 2 + elements.count
            for element in elements { total += element.encodedByteCountBound() }
            return total
        case .object(let members):
            var total = 2 + 2 * members.count
            for (key, value) in members { total += 2 + 6 * key.utf8.count + value.encodedByteCountBound() }
            return total
        }
    }

    /// How deep arrays and objects nest, a scalar being 0; counting stops past `limit`, so hostile input costs
    /// at most what the parser already accepted.
    func nestingDepth(stoppingAfter limit: Int) -> Int {
        guard limit > 0 else { return isContainer ? 1 : 0 }
        switch self {
        case .array(let elements):
            return 1 + (elements.lazy.map { $0.nestingDepth(stoppingAfter: limit - 1) }.max() ?? 0)
        case .object(let members):
            return 1 + (members.lazy.map { $0.value.nestingDepth(stoppingAfter: limit - 1) }.max() ?? 0)
        default:
            return 0
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array, .object: true
        default: false
        }
    }

    /// What Synapse's `validate_canonicaljson` refuses in events of rooms v6 and later: any float (even an integral
    /// one) and any integer outside ``canonicalIntegerRange``.
    func firstNonCanonicalNumber() -> JSONValue? {
        switch self {
        case .integer(let value) where !JSONValue.canonicalIntegerRange.contains(value): return self
        case .bigInteger, .double: return self
        case .null, .bool, .integer, .string: return nil
        case .array(let elements): return elements.lazy.compactMap { $0.firstNonCanonicalNumber() }.first
        case .object(let members): return members.lazy.compactMap { $0.value.firstNonCanonicalNumber() }.first
        }
    }
}
