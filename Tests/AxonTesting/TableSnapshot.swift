import Storage

/// Every row of every table, so a test can prove that a refused request changed nothing.
public struct TableSnapshot: Equatable, Sendable {
    public let tables: [String: [[SQLValue]]]

    /// - Parameter excluding: tables left out, such as `stream_positions`, which a writer on PostgreSQL updates a
    ///   moment after its commits, outside their transactions.
    public static func take(_ database: any Database, excluding: Set<String> = []) async throws -> TableSnapshot {
        try await database.read { connection in
            var tables: [String: [[SQLValue]]] = [:]
            for table in try connection.query(connection.dialect.listTablesSQL) {
                let name: String = try table.decode(0)
                guard !excluding.contains(name) else { continue }
                let rows = try connection.query("SELECT * FROM \(name)").map(\.values)
                tables[name] = rows.sorted { "\($0)" < "\($1)" }
            }
            return TableSnapshot(tables: tables)
        }
    }
}
