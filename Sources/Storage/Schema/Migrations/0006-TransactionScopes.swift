extension Migration {
    /// Client transaction IDs are scoped to the endpoint they were sent to (as Synapse keys them by request
    /// path): the same ID on `/send` in two rooms, or on `/send` and `/redact`, names two requests.
    static let v6TransactionScopes = Migration(
        version: 6,
        name: "transaction scopes",
        sqlite: transactionScopesSQL,
        postgres: transactionScopesSQL
    )

    private static let transactionScopesSQL = """
        CREATE TABLE client_transactions (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            scope TEXT NOT NULL,
            txn_id TEXT NOT NULL,
            event_nid BIGINT NOT NULL,
            PRIMARY KEY (user_id, device_id, scope, txn_id)
        );
        INSERT INTO client_transactions (user_id, device_id, scope, txn_id, event_nid)
            SELECT user_id, device_id, '', txn_id, event_nid FROM event_txn_ids;
        DROP TABLE event_txn_ids;
        CREATE INDEX client_transactions_event ON client_transactions (event_nid);
        """
}
