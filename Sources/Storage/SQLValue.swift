/// One value crossing the database boundary, with the five storage classes both engines share.
///
/// PostgreSQL booleans arrive as `.integer(0/1)` and `bytea` as `.blob`, so code written against
/// SQLite's type system reads the same values from either engine.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// Wraps any convertible Swift value, e.g. `SQLValue(userID.rawValue)`.
    public init(_ value: some SQLValueConvertible) {
        self = value.sqlValue
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The storage class name used in error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }
}

extension SQLValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension SQLValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension SQLValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .real(value)
    }
}

extension SQLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

extension SQLValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .integer(value ? 1 : 0)
    }
}

extension SQLValue: CustomStringConvertible {
    /// A short rendering for logs and errors; blobs and long text are abbreviated.
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value):
            return value.count > 64 ? "'\(value.prefix(61))...'" : "'\(value)'"
        case .blob(let bytes): return "<\(bytes.count) bytes>"
        }
    }
}
