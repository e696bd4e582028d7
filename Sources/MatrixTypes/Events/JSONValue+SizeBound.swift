extension JSONValue {
    /// An upper bound on the length of the canonical encoding, found without encoding; `nil` when the value holds
    /// something canonical JSON cannot represent (a non-integer or an integer out of range).
    ///
    /// Each string byte counts six, the most an escape takes, and each integer 17, the longest canonical integer.
    func canonicalByteCountBound() -> Int? {
        switch self {
        case .null: return 4
        case .bool: return 5
        case .integer(let value): return JSONValue.canonicalIntegerRange.contains(value) ? 17 : nil
        case .double: return nil
        case .string(let text): return 2 + 6 * text.utf8.count
        case .array(let elements):
            var total = 2 + elements.count
            for element in elements {
                guard let bound = element.canonicalByteCountBound() else { return nil }
                total += bound
            }
            return total
        case .object(let members):
            var total = 2 + 2 * members.count
            for (key, value) in members {
                guard let bound = value.canonicalByteCountBound() else { return nil }
                total += 2 + 6 * key.utf8.count + bound
            }
            return total
        }
    }
}
