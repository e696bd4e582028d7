extension Migration {
    /// Accounts, devices, access tokens, user-interactive-auth sessions and shared-secret registration nonces.
    ///
    /// Deactivated users keep their row so their name is never handed out again. Access tokens are stored only
    /// as SHA-256 hashes. UIA sessions and nonces live here rather than in memory so that they survive restarts
    /// and work across processes.
    static let v2Accounts = Migration(
        version: 2,
        name: "accounts",
        sqlite: accountsSQL(.sqlite),
        postgres: accountsSQL(.postgres)
    )

    private static func accountsSQL(_ dialect: SQLDialect) -> String {
        """
        CREATE TABLE users (
            user_id TEXT PRIMARY KEY,
            password_hash TEXT,
            created_ts BIGINT NOT NULL,
            is_admin INTEGER NOT NULL DEFAULT 0,
            is_guest INTEGER NOT NULL DEFAULT 0,
            user_type TEXT,
            deactivated INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE generated_localparts (
            name TEXT PRIMARY KEY,
            last_value BIGINT NOT NULL
        );
        INSERT INTO generated_localparts (name, last_value) VALUES ('users', 0);
        CREATE TABLE devices (
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            display_name TEXT,
            created_ts BIGINT NOT NULL,
            last_seen_ts BIGINT,
            last_seen_ip TEXT,
            PRIMARY KEY (user_id, device_id)
        );
        CREATE TABLE access_tokens (
            id \(dialect.autoIncrementPrimaryKey),
            token_hash TEXT NOT NULL UNIQUE,
            user_id TEXT NOT NULL,
            device_id TEXT NOT NULL,
            created_ts BIGINT NOT NULL
        );
        CREATE INDEX access_tokens_device ON access_tokens (user_id, device_id);
        CREATE TABLE ui_auth_sessions (
            session_id TEXT PRIMARY KEY,
            created_ts BIGINT NOT NULL,
            operation TEXT NOT NULL,
            user_id TEXT,
            params TEXT NOT NULL,
            password_hash TEXT,
            registered_user_id TEXT
        );
        CREATE INDEX ui_auth_sessions_created ON ui_auth_sessions (created_ts);
        CREATE TABLE ui_auth_session_stages (
            session_id TEXT NOT NULL,
            stage_type TEXT NOT NULL,
            result TEXT NOT NULL,
            PRIMARY KEY (session_id, stage_type)
        );
        CREATE TABLE registration_nonces (
            nonce TEXT PRIMARY KEY,
            created_ts BIGINT NOT NULL
        );
        CREATE INDEX registration_nonces_created ON registration_nonces (created_ts);
        """
    }
}
