extension Migration {
    /// OpenID tokens, which prove to a third party which local user holds them, and the users who asked for their
    /// messages to be erased when they deactivated (Synapse's `open_id_tokens` and `erased_users`).
    /// - OpenID tokens are stored as SHA-256 hashes, as access tokens are, and expire: the index by expiry lets a new
    ///   token purge expired ones, and the one by user keeps each user's live tokens few.
    /// - An erased user's events are shown redacted to readers who were not joined when they were sent.
    static let v10OpenIDAndErasure = Migration(
        version: 10,
        name: "openid tokens and erased users",
        sql: """
            CREATE TABLE open_id_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL,
                valid_until_ms BIGINT NOT NULL
            );
            CREATE INDEX open_id_tokens_expiry ON open_id_tokens (valid_until_ms);
            CREATE INDEX open_id_tokens_user ON open_id_tokens (user_id, valid_until_ms);
            CREATE TABLE erased_users (
                user_id TEXT PRIMARY KEY
            );
            """
    )
}
