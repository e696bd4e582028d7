/// A JSON document with an exact integer case.
///
/// Matrix hashes and signs the canonical encoding of JSON, so integers must survive a round trip unchanged
/// and stay distinct from booleans and floating-point numbers (which Foundation's JSON types conflate).
/// Strings and object keys compare and hash by their UTF-8 bytes, as Matrix compares them (see ``JSONObject``).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// An integer beyond 64 bits, as its exact decimal literal; only legacy JSON (rooms v1–v5) holds these.
    case bigInteger(String)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// The member named `key` of an object; `nil` for a missing member or a value that is not an object.
    ///
    /// Assigning `nil` removes the member. Assigning through a value that is not an object is a programming error.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let members) = self else { return nil }
            return members[key]
        }
        set {
            guard case .object(var members) = self else {
                preconditionFailure("cannot set member '\(key)' on a JSON value that is not an object")
            }
            self = .null  // drop our reference so the dictionary is uniquely owned and mutates in place
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array; `nil` when out of bounds or when the value is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integerValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var doubleValue: Double? {
        if case .double(let value) = self { return value }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSONValue: Hashable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.integer(let left), .integer(let right)): left == right
        case (.bigInteger(let left), .bigInteger(let right)): left.hasSameBytes(as: right)
        case (.double(let left), .double(let right)): left == right
        case (.string(let left), .string(let right)): left.hasSameBytes(as: right)
        case (.array(let left), .array(let right)): left == right
        case (.object(let left), .object(let right)): left == right
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let flag): hasher.combine(1); hasher.combine(flag)
        case .integer(let integer): hasher.combine(2); hasher.combine(integer)
        case .double(let double): hasher.combine(3); hasher.combine(double)
        case .bigInteger(let digits): hasher.combine(7); digits.hashBytes(into: &hasher)
        case .string(let string): hasher.combine(4); string.hashBytes(into: &hasher)
        case .array(let elements): hasher.combine(5); hasher.combine(elements)
        case .object(let members): hasher.combine(6); hasher.combine(members)
        }
    }
}
