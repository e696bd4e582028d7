import Storage

/// Another server's media as cached here, in a file named by `fileID`.
struct RemoteMediaRow: Sendable {
    var origin: String
    var mediaID: String
    var contentType: String
    var length: Int64
    var uploadName: String?
    var createdAt: Int64
    var fileID: String
    var authenticated: Bool
}

/// The only SQL touching `remote_media_cache` (created by migration 0017, `Media`).
enum RemoteMediaTable {
    /// Records a fetched media; `false` when another request cached it first (its file is then the one kept).
    static func insert(_ row: RemoteMediaRow, in transaction: any Transaction) throws(StorageError) -> Bool {
        try transaction.execute(
            """
            INSERT INTO remote_media_cache
                (media_origin, media_id, media_type, media_length, upload_name, created_ts, filesystem_id, authenticated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """,
            [
                .text(row.origin), .text(row.mediaID), .text(row.contentType), .integer(row.length), row.uploadName.map(SQLValue.text) ?? .null,
                .integer(row.createdAt), .text(row.fileID), .integer(row.authenticated ? 1 : 0),
            ]
        ) == 1
    }

    static func find(origin: String, mediaID: String, in connection: any Connection) throws(StorageError) -> RemoteMediaRow? {
        try connection.queryOne(
            """
            SELECT media_origin, media_id, media_type, media_length, upload_name, created_ts, filesystem_id, authenticated
            FROM remote_media_cache WHERE media_origin = ? AND media_id = ?
            """,
            [.text(origin), .text(mediaID)]
        ).map { row throws(StorageError) in
            RemoteMediaRow(
                origin: try row.decode("media_origin"), mediaID: try row.decode("media_id"), contentType: try row.decode("media_type"),
                length: try row.decode("media_length"), uploadName: try row.decode("upload_name"), createdAt: try row.decode("created_ts"),
                fileID: try row.decode("filesystem_id"), authenticated: try row.decode("authenticated", as: Int64.self) != 0
            )
        }
    }

    /// Up to `limit` cached media fetched before `before`, as (origin, media ID, file ID).
    static func cachedBefore(_ before: Int64, limit: Int, in connection: any Connection) throws(StorageError) -> [(String, String, String)] {
        try connection.query(
            "SELECT media_origin, media_id, filesystem_id FROM remote_media_cache WHERE created_ts < ? LIMIT ?",
            [.integer(before), .integer(Int64(limit))]
        ).map { row throws(StorageError) in (try row.decode("media_origin"), try row.decode("media_id"), try row.decode("filesystem_id")) }
    }

    static func delete(origin: String, mediaID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM remote_media_cache WHERE media_origin = ? AND media_id = ?", [.text(origin), .text(mediaID)])
    }
}
