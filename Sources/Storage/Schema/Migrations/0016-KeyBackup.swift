extension Migration {
    /// Server-side key backups (`/room_keys`), under Synapse's table names:
    /// - `e2e_room_keys_versions`: each user's backups, numbered from 1 per user and never reused; a deleted one stays
    ///   marked so its number is not handed out again. `etag` counts the changes to its keys, `key_count` how many
    ///   it holds, both kept with every change so neither a client's check nor an upload's answer counts rows.
    /// - `e2e_room_keys`: one encrypted session key per user, backup, room and session.
    static let v16KeyBackup = Migration(
        version: 16,
        name: "key_backup",
        sqlite: keyBackupSQL,
        postgres: keyBackupSQL
    )

    private static let keyBackupSQL = """
        CREATE TABLE e2e_room_keys_versions (
            user_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            algorithm TEXT NOT NULL,
            auth_data TEXT NOT NULL,
            etag BIGINT NOT NULL DEFAULT 0,
            key_count BIGINT NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (user_id, version)
        );
        CREATE TABLE e2e_room_keys (
            user_id TEXT NOT NULL,
            version BIGINT NOT NULL,
            room_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            first_message_index BIGINT NOT NULL,
            forwarded_count BIGINT NOT NULL,
            is_verified INTEGER NOT NULL,
            session_data TEXT NOT NULL,
            PRIMARY KEY (user_id, version, room_id, session_id)
        );
        """
}
