/// The column names of one result set, shared by all its rows so each row carries only values.
public final class RowColumns: Sendable {
    public let names: [String]
    private let indexByName: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var indexByName: [String: Int] = [:]
        // The first column wins when a query returns two with one name, as in SQLite's C API.
        for (index, name) in names.enumerated() where indexByName[name] == nil {
            indexByName[name] = index
        }
        self.indexByName = indexByName
    }

    public func index(of name: String) -> Int? {
        indexByName[name]
    }
}

/// One result row with typed access by column name or position.
///
/// ```swift
/// let rows = try conn.query("SELECT user_id, created_ts FROM users WHERE name = ?", [.text(name)])
/// let created: Int64 = try rows[0].decode("created_ts")
/// ```
public struct Row: Sendable {
    public let columns: RowColumns
    public let values: [SQLValue]

    public init(columns: RowColumns, values: [SQLValue]) {
        precondition(columns.names.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    public subscript(index: Int) -> SQLValue {
        values[index]
    }

    /// The raw value of a named column.
    public func value(_ name: String) throws(StorageError) -> SQLValue {
        guard let index = columns.index(of: name) else { throw .noSuchColumn(name) }
        return values[index]
    }

    /// Decodes a named column; `Optional` types accept `NULL`.
    public func decode<T: SQLValueConvertible>(_ name: String, as type: T.Type = T.self) throws(StorageError) -> T {
        try convert(value(name), column: name)
    }

    /// Decodes a column by position.
    public func decode<T: SQLValueConvertible>(_ index: Int, as type: T.Type = T.self) throws(StorageError) -> T {
        guard values.indices.contains(index) else { throw .noSuchColumn("#\(index)") }
        return try convert(values[index], column: columns.names[index])
    }

    private func convert<T: SQLValueConvertible>(_ value: SQLValue, column: String) throws(StorageError) -> T {
        do {
            return try T(sqlValue: value)
        } catch .typeMismatch(_, let expected, let found) {
            throw .typeMismatch(column: column, expected: expected, found: found)
        } catch {
            throw error
        }
    }
}
