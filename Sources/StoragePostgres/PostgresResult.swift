import CLibPQ
import Storage

/// Turns a `PGresult` (text format) into rows, or into a `StorageError`.
enum PostgresResult {
    /// Type OIDs from `pg_type`, for the types whose text form is not plain text to Axon.
    enum TypeOID {
        static let bool: Oid = 16
        static let bytea: Oid = 17
        static let int8: Oid = 20
        static let int2: Oid = 21
        static let int4: Oid = 23
        static let oid: Oid = 26
        static let float4: Oid = 700
        static let float8: Oid = 701
        static let numeric: Oid = 1700
    }

    /// Checks the result's status, then reads every row. The caller still owns (and clears) `result`.
    static func rows(_ result: OpaquePointer?, connection: OpaquePointer) throws(StorageError) -> [Row] {
        try check(result, connection: connection)
        guard let result, PQresultStatus(result) == PGRES_TUPLES_OK else { return [] }
        let columnCount = PQnfields(result)
        let columns = RowColumns((0..<columnCount).map { String(cString: PQfname(result, $0)) })
        let types = (0..<columnCount).map { PQftype(result, $0) }
        return (0..<PQntuples(result)).map { row in
            let values = (0..<columnCount).map { column in
                value(result, row: row, column: column, type: types[Int(column)])
            }
            return Row(columns: columns, values: values)
        }
    }

    /// Throws the error a failed result carries (or the connection's, when libpq returned none).
    static func check(_ result: OpaquePointer?, connection: OpaquePointer) throws(StorageError) {
        guard let result else {
            throw .connectionFailed(reason: errorMessage(connection))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            if PQstatus(connection) != CONNECTION_OK {
                throw .connectionFailed(reason: errorMessage(connection))
            }
            throw error(from: result)
        }
    }

    /// libpq's message for the connection's last failure, on one line.
    static func errorMessage(_ connection: OpaquePointer) -> String {
        oneLine(String(cString: PQerrorMessage(connection)))
    }

    private static func error(from result: OpaquePointer) -> StorageError {
        let state = field(result, "C") ?? ""
        let primary = field(result, "M") ?? oneLine(String(cString: PQresultErrorMessage(result)))
        // The DETAIL field is left out on purpose: it quotes row values (tokens, keys).
        let message = state.isEmpty ? primary : "\(primary) (SQLSTATE \(state))"
        switch state {
        case "23505": return .uniqueViolation(message: message)
        case "40001", "40P01", "55P03": return .busy(reason: message)
        case _ where state.hasPrefix("23"): return .constraintViolation(message: message)
        case _ where state.hasPrefix("08") || state.hasPrefix("57P"): return .connectionFailed(reason: message)
        default: return .queryFailed(message: message)
        }
    }

    private static func field(_ result: OpaquePointer, _ code: Unicode.Scalar) -> String? {
        PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
    }

    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingWhitespace() }.joined(separator: " ")
    }

    private static func value(_ result: OpaquePointer, row: Int32, column: Int32, type: Oid) -> SQLValue {
        if PQgetisnull(result, row, column) != 0 {
            return .null
        }
        let length = Int(PQgetlength(result, row, column))
        let bytes = UnsafeRawPointer(PQgetvalue(result, row, column)!).assumingMemoryBound(to: UInt8.self)
        let buffer = UnsafeBufferPointer(start: bytes, count: length)
        let text = String(decoding: buffer, as: UTF8.self)
        switch type {
        case TypeOID.bool:
            return .integer(text == "t" ? 1 : 0)
        case TypeOID.int2, TypeOID.int4, TypeOID.int8, TypeOID.oid:
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case TypeOID.float4, TypeOID.float8:
            return Double(text).map(SQLValue.real) ?? .text(text)
        case TypeOID.numeric:
            // SUM(bigint) is numeric in PostgreSQL but an integer in SQLite.
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case TypeOID.bytea:
            return decodeHex(buffer).map(SQLValue.blob) ?? .text(text)
        default:
            return .text(text)
        }
    }

    /// Decodes bytea's text form `\x0a1b…` (the default `bytea_output = hex`).
    private static func decodeHex(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else {
            return nil
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2 - 1)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
