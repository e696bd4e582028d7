extension Migration {
    /// What end-to-end encryption needs a server to keep (the server holds public keys and ciphertext only):
    /// - `e2e_device_keys`: each device's signed identity keys, as uploaded.
    /// - `e2e_one_time_keys`: one-time keys waiting to be claimed, each handed out once and deleted.
    /// - `e2e_fallback_keys`: one fallback key per device and algorithm, handed out when no one-time key is left and
    ///   then marked used until the device replaces it.
    /// - `e2e_cross_signing_keys`: a user's master, self-signing and user-signing keys, each row the latest upload.
    /// - `e2e_cross_signing_signatures`: signatures one key made over another user's or device's key, kept apart
    ///   from the key they sign so a re-upload of that key keeps them.
    /// - `device_lists_stream`: the `device_lists` stream: which user's devices or cross-signing keys changed at each
    ///   position (and which device, where one did), read by `/sync` and `/keys/changes`.
    /// - `device_inbox`: the `to_device` stream: messages waiting for a device, deleted once it syncs past them.
    /// - `device_inbox_transactions`: which sender device and transaction ID already sent, so a retried
    ///   `/sendToDevice` delivers nothing twice (a remote sender's `message_id` under an empty device ID).
    /// - `federation_outbox`: to-device messages and device-list updates for other servers, written with the change
    ///   and deleted once the destination acknowledged the transaction carrying them.
    static let v15EndToEndEncryption = Migration(
        version: 15,
        name: "end_to_end_encryption",
        sqlite: endToEndEncryptionSQL(.sqlite),
        postgres: endToEndEncryptionSQL(.postgres)
    )

    private static func endToEndEncryptionSQL(_ dialect: SQLDialect) -> String {
        """
        CREATE TABLE e2e_device_keys (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            key_json TEXT NOT NULL,
            PRIMARY KEY (user_id, device_id)
        );
        CREATE TABLE e2e_one_time_keys (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            algorithm TEXT NOT NULL,
            key_id TEXT NOT NULL,
            key_json TEXT NOT NULL,
            PRIMARY KEY (user_id, device_id, algorithm, key_id)
        );
        CREATE TABLE e2e_fallback_keys (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            algorithm TEXT NOT NULL,
            key_id TEXT NOT NULL,
            key_json TEXT NOT NULL,
            used INTEGER NOT NULL,
            PRIMARY KEY (user_id, device_id, algorithm)
        );
        CREATE TABLE e2e_cross_signing_keys (
            user_id TEXT NOT NULL,
            key_type TEXT NOT NULL,
            key_json TEXT NOT NULL,
            PRIMARY KEY (user_id, key_type)
        );
        CREATE TABLE e2e_cross_signing_signatures (
            signer_user_id TEXT NOT NULL,
            signer_key_id TEXT NOT NULL,
            target_user_id TEXT NOT NULL,
            target_key_id TEXT NOT NULL,
            signature TEXT NOT NULL,
            PRIMARY KEY (target_user_id, target_key_id, signer_user_id, signer_key_id)
        );
        CREATE TABLE device_lists_stream (
            stream_id BIGINT NOT NULL,
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            PRIMARY KEY (stream_id, user_id, device_id)
        );
        CREATE INDEX device_lists_stream_user ON device_lists_stream (user_id, stream_id);
        CREATE TABLE device_inbox (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            stream_id BIGINT NOT NULL,
            message_json TEXT NOT NULL,
            PRIMARY KEY (user_id, device_id, stream_id)
        );
        CREATE INDEX device_inbox_stream ON device_inbox (stream_id);
        CREATE TABLE device_inbox_transactions (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            txn_id TEXT NOT NULL,
            added_ms BIGINT NOT NULL,
            PRIMARY KEY (user_id, device_id, txn_id)
        );
        CREATE INDEX device_inbox_transactions_added ON device_inbox_transactions (added_ms);
        CREATE TABLE federation_outbox (
            outbox_id \(dialect.autoIncrementPrimaryKey),
            destination TEXT NOT NULL,
            edu_json TEXT NOT NULL
        );
        CREATE INDEX federation_outbox_destination ON federation_outbox (destination, outbox_id);
        """
    }
}
