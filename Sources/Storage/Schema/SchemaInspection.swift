/// What a database holds before Axon touches it.
enum SchemaState: Sendable, Equatable {
    /// No tables at all: Axon may create its schema.
    case empty
    /// Axon's marker table is present, with these migration versions applied.
    case axon(appliedVersions: [Int])
    /// Tables Axon did not create; the reason names what was found.
    case foreign(reason: String)
}

/// Tells Axon's databases from empty ones and from other servers' (Synapse's `homeserver.db`
/// must never be written to: running our migrations on it would corrupt it for Synapse).
enum SchemaInspection {
    static let markerTable = "axon_schema_migrations"

    static let markerDDL = """
        CREATE TABLE IF NOT EXISTS axon_schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at_ms BIGINT NOT NULL
        )
        """

    /// Tables only Synapse creates; any one of them identifies its schema.
    private static let synapseMarkers = ["schema_version", "applied_schema_deltas", "schema_compat_version"]
    /// Tables Synapse and other homeservers have in common, reported when present.
    private static let homeserverTables = ["events", "users", "rooms", "room_memberships", "access_tokens"]
    /// Table-name prefixes of Dendrite's components.
    private static let dendritePrefixes = ["roomserver_", "syncapi_", "userapi_", "federationsender_"]

    static func inspect(_ connection: any Connection) throws(StorageError) -> SchemaState {
        let tables = try connection.query(connection.dialect.listTablesSQL).map { row throws(StorageError) in
            try row.decode(0, as: String.self)
        }
        if tables.contains(markerTable) {
            let versions = try connection.query("SELECT version FROM axon_schema_migrations ORDER BY version")
                .map { row throws(StorageError) in try row.decode(0, as: Int.self) }
            return .axon(appliedVersions: versions)
        }
        if tables.isEmpty {
            return .empty
        }
        return .foreign(reason: foreignReason(tables: tables))
    }

    static func foreignReason(tables: [String]) -> String {
        let present = Set(tables)
        let synapse = synapseMarkers.filter(present.contains)
        if !synapse.isEmpty || homeserverTables.allSatisfy(present.contains) {
            let found = synapse + homeserverTables.filter(present.contains)
            return "this database holds Synapse's schema (found tables \(found.joined(separator: ", "))). "
                + "Axon cannot use or convert a Synapse database; point the database settings at a new, empty database"
        }
        let dendrite = tables.filter { table in dendritePrefixes.contains { table.hasPrefix($0) } }
        if !dendrite.isEmpty {
            return "this database holds Dendrite's schema (found tables \(listed(dendrite))). "
                + "Axon cannot use it; point the database settings at a new, empty database"
        }
        return "this database is not empty but has no \(markerTable) table, so Axon did not create it "
            + "(found tables \(listed(tables))). Point the database settings at a new, empty database"
    }

    private static func listed(_ tables: [String]) -> String {
        let shown = tables.prefix(8).joined(separator: ", ")
        return tables.count > 8 ? "\(shown) and \(tables.count - 8) more" : shown
    }
}
