import Storage

/// Returns the integer ID of a row of an interning table, inserting the row when it is new.
///
/// `RETURNING` yields nothing when the row already exists, so the lookup runs only for known values.
func internedID(
    table: String, id: String, columns: [String], values: [SQLValue], in transaction: any Transaction
) throws(StorageError) -> Int64 {
    let list = columns.joined(separator: ", ")
    let marks = placeholders(columns.count)
    if let row = try transaction.queryOne(
        "INSERT INTO \(table) (\(list)) VALUES (\(marks)) ON CONFLICT (\(list)) DO NOTHING RETURNING \(id)", values
    ) {
        return try row.decode(0)
    }
    return try transaction.queryValue(
        "SELECT \(id) FROM \(table) WHERE \(columns.map { "\($0) = ?" }.joined(separator: " AND "))", values
    )
}

