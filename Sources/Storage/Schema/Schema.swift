/// An ordered list of migrations: versions 1, 2, 3, … with no gaps.
public struct Schema: Sendable, Hashable {
    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        for (offset, migration) in migrations.enumerated() {
            precondition(
                migration.version == offset + 1,
                "migration \(migration.name) has version \(migration.version), expected \(offset + 1)"
            )
        }
        self.migrations = migrations
    }

    /// The version a database has once every migration ran (0 for an empty list).
    public var latestVersion: Int {
        migrations.last?.version ?? 0
    }

    /// A stable hash of every migration's number, name and SQL, as 16 hex digits.
    ///
    /// Test fixtures name their migrated PostgreSQL template after it, so editing or adding a
    /// migration builds a fresh template instead of reusing a stale one.
    public var fingerprint: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        for migration in migrations {
            mix(String(migration.version))
            mix(migration.name)
            mix(migration.sqliteSQL)
            mix(migration.postgresSQL)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Schema {
    /// Axon's schema. Append new migrations at the end; each lives in its own file under `Migrations/`.
    public static let axon = Schema([
        .v1Infrastructure,
        .v2Accounts,
        .v3Rooms,
        .v4RoomFeatures,
        .v5ForgottenRooms,
        .v6TransactionScopes,
        .v7StateEventIndex,
        .v8DirectoryOrder,
        .v9BoundedReads,
        .v10OpenIDAndErasure,
        .v11Federation,
        .v12BackwardExtremities,
        .v13FederationCatchUp,
        .v14HierarchySessions,
        .v15EndToEndEncryption,
        .v16KeyBackup,
        .v17Media,
    ])
}
