extension Migration {
    /// Federation's own records:
    /// - `federation_inbound_transactions`: the transactions other servers sent, by origin and ID, so a retried
    ///   transaction is answered without staging its PDUs twice (rows older than a day are pruned as new ones arrive).
    /// - `federation_staged_pdus`: PDUs acknowledged to their origin and not yet added to their room, each with the
    ///   process that staged them, which adds them in order (after a restart too) and deletes them once added.
    static let v11Federation = Migration(
        version: 11,
        name: "federation",
        sqlite: federationSQL(.sqlite),
        postgres: federationSQL(.postgres)
    )

    private static func federationSQL(_ dialect: SQLDialect) -> String {
        """
        CREATE TABLE federation_inbound_transactions (
            origin TEXT NOT NULL,
            txn_id TEXT NOT NULL,
            received_ts BIGINT NOT NULL,
            PRIMARY KEY (origin, txn_id)
        );
        CREATE INDEX federation_inbound_transactions_age ON federation_inbound_transactions (received_ts);
        CREATE TABLE federation_staged_pdus (
            staged_id \(dialect.autoIncrementPrimaryKey),
            instance_name TEXT NOT NULL,
            origin TEXT NOT NULL,
            room_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            received_ts BIGINT NOT NULL,
            json \(dialect.blobType) NOT NULL
        );
        CREATE INDEX federation_staged_pdus_instance ON federation_staged_pdus (instance_name, staged_id);
        """
    }
}
