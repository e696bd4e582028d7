extension Migration {
    /// The media repository, under Synapse's table names:
    /// - `local_media_repository`: this server's uploads. `media_type` and `media_length` stay `NULL` while an ID made
    ///   by `/media/v1/create` waits for its upload; `authenticated` marks media uploaded while authenticated media was
    ///   on, which the legacy unauthenticated endpoints do not serve; `url_cache` marks images fetched for previews.
    /// - `local_media_repository_thumbnails`: the thumbnails made of them, one file each.
    /// - `remote_media_cache`: other servers' media fetched for our users, stored under a `filesystem_id` of our own.
    /// - `remote_media_cache_thumbnails`: thumbnails of those.
    static let v17Media = Migration(
        version: 17,
        name: "media",
        sqlite: mediaSQL,
        postgres: mediaSQL
    )

    private static let mediaSQL = """
        CREATE TABLE local_media_repository (
            media_id TEXT NOT NULL PRIMARY KEY,
            media_type TEXT,
            media_length BIGINT,
            created_ts BIGINT NOT NULL,
            upload_name TEXT,
            user_id TEXT NOT NULL,
            authenticated INTEGER NOT NULL,
            url_cache INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX local_media_repository_pending ON local_media_repository (user_id, created_ts) WHERE media_length IS NULL;
        CREATE INDEX local_media_repository_created ON local_media_repository (created_ts);
        CREATE TABLE local_media_repository_thumbnails (
            media_id TEXT NOT NULL,
            thumbnail_width INTEGER NOT NULL,
            thumbnail_height INTEGER NOT NULL,
            thumbnail_type TEXT NOT NULL,
            thumbnail_method TEXT NOT NULL,
            thumbnail_length BIGINT NOT NULL,
            PRIMARY KEY (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method)
        );
        CREATE TABLE remote_media_cache (
            media_origin TEXT NOT NULL,
            media_id TEXT NOT NULL,
            media_type TEXT NOT NULL,
            media_length BIGINT NOT NULL,
            upload_name TEXT,
            created_ts BIGINT NOT NULL,
            filesystem_id TEXT NOT NULL,
            authenticated INTEGER NOT NULL,
            PRIMARY KEY (media_origin, media_id)
        );
        CREATE INDEX remote_media_cache_created ON remote_media_cache (created_ts);
        CREATE TABLE remote_media_cache_thumbnails (
            media_origin TEXT NOT NULL,
            media_id TEXT NOT NULL,
            thumbnail_width INTEGER NOT NULL,
            thumbnail_height INTEGER NOT NULL,
            thumbnail_type TEXT NOT NULL,
            thumbnail_method TEXT NOT NULL,
            thumbnail_length BIGINT NOT NULL,
            filesystem_id TEXT NOT NULL,
            PRIMARY KEY (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method)
        );
        """
}
