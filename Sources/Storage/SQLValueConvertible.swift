/// A Swift type that maps to and from one `SQLValue`, so rows decode into typed values.
public protocol SQLValueConvertible: Sendable {
    init(sqlValue: SQLValue) throws(StorageError)
    var sqlValue: SQLValue { get }
}

extension SQLValue: SQLValueConvertible {
    public init(sqlValue: SQLValue) {
        self = sqlValue
    }

    public var sqlValue: SQLValue { self }
}

extension Int64: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        guard case .integer(let value) = sqlValue else {
            throw .typeMismatch(column: nil, expected: "integer", found: sqlValue.typeName)
        }
        self = value
    }

    public var sqlValue: SQLValue { .integer(self) }
}

extension Int: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        guard case .integer(let value) = sqlValue, let exact = Int(exactly: value) else {
            throw .typeMismatch(column: nil, expected: "integer", found: sqlValue.typeName)
        }
        self = exact
    }

    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int32: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        guard case .integer(let value) = sqlValue, let exact = Int32(exactly: value) else {
            throw .typeMismatch(column: nil, expected: "32-bit integer", found: sqlValue.typeName)
        }
        self = exact
    }

    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

/// Booleans are stored as integers 0/1 on both engines (SQLite has no boolean type).
extension Bool: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        guard case .integer(let value) = sqlValue else {
            throw .typeMismatch(column: nil, expected: "integer boolean", found: sqlValue.typeName)
        }
        self = value != 0
    }

    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}

extension Double: SQLValueConvertible {
    /// Integers are accepted too: a column without REAL affinity (or an aggregate) hands whole numbers back as integers.
    public init(sqlValue: SQLValue) throws(StorageError) {
        switch sqlValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: throw .typeMismatch(column: nil, expected: "real", found: sqlValue.typeName)
        }
    }

    public var sqlValue: SQLValue { .real(self) }
}

extension String: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        guard case .text(let value) = sqlValue else {
            throw .typeMismatch(column: nil, expected: "text", found: sqlValue.typeName)
        }
        self = value
    }

    public var sqlValue: SQLValue { .text(self) }
}

extension [UInt8]: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        guard case .blob(let value) = sqlValue else {
            throw .typeMismatch(column: nil, expected: "blob", found: sqlValue.typeName)
        }
        self = value
    }

    public var sqlValue: SQLValue { .blob(self) }
}

/// `NULL` decodes to `nil`; anything else decodes as the wrapped type.
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public init(sqlValue: SQLValue) throws(StorageError) {
        if case .null = sqlValue {
            self = .none
        } else {
            self = .some(try Wrapped(sqlValue: sqlValue))
        }
    }

    public var sqlValue: SQLValue {
        switch self {
        case .none: .null
        case .some(let value): value.sqlValue
        }
    }
}
