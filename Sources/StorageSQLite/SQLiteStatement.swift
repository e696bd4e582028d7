import CSQLite
import Storage

/// Tells SQLite to copy bound text and blobs, as the C macro `SQLITE_TRANSIENT` (not importable) does.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A prepared statement kept in a connection's cache and reused across executions.
final class SQLiteStatement {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    func bind(_ params: [SQLValue], connection: OpaquePointer) throws(StorageError) {
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == params.count else {
            throw .queryFailed(message: "statement has \(expected) placeholders but \(params.count) parameters were given")
        }
        for (offset, value) in params.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .integer(let integer):
                rc = sqlite3_bind_int64(handle, index, integer)
            case .real(let real):
                rc = sqlite3_bind_double(handle, index, real)
            case .text(let text):
                // withCString always yields a pointer, so "" binds an empty string rather than NULL.
                rc = text.withCString { sqlite3_bind_text(handle, index, $0, Int32(text.utf8.count), transient) }
            case .blob(let bytes) where bytes.isEmpty:
                rc = sqlite3_bind_zeroblob(handle, index, 0)
            case .blob(let bytes):
                rc = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), transient) }
            }
            guard rc == SQLITE_OK else { throw SQLiteError.last(connection) }
        }
    }

    /// Steps to completion, collecting rows, then resets the statement for its next use.
    func run(connection: OpaquePointer) throws(StorageError) -> [Row] {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var rows: [Row] = []
        var columns: RowColumns?
        while true {
            let rc = sqlite3_step(handle)
            switch rc {
            case SQLITE_ROW:
                let names = columns ?? makeColumns()
                columns = names
                rows.append(Row(columns: names, values: (0..<Int32(names.names.count)).map(value)))
            case SQLITE_DONE:
                return rows
            default:
                throw SQLiteError.last(connection)
            }
        }
    }

    private func makeColumns() -> RowColumns {
        RowColumns((0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) })
    }

    private func value(at column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let blob = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default:
            return .null
        }
    }
}
