import CSQLite
import Storage

/// Maps SQLite result codes to `StorageError`.
enum SQLiteError {
    /// `SQLITE_CONSTRAINT_UNIQUE` and `SQLITE_CONSTRAINT_PRIMARYKEY`, whose C macros do not import.
    private static let uniqueCodes: Set<Int32> = [SQLITE_CONSTRAINT | (8 << 8), SQLITE_CONSTRAINT | (6 << 8)]

    static func make(code: Int32, message: String) -> StorageError {
        switch code & 0xff {
        case SQLITE_CONSTRAINT:
            uniqueCodes.contains(code) ? .uniqueViolation(message: message) : .constraintViolation(message: message)
        case SQLITE_BUSY, SQLITE_LOCKED:
            .busy(reason: message)
        case SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_IOERR, SQLITE_FULL:
            .connectionFailed(reason: message)
        default:
            .queryFailed(message: message)
        }
    }

    /// The error left on a connection by its last failed call.
    static func last(_ handle: OpaquePointer) -> StorageError {
        make(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }
}
