import Storage

/// A thumbnail as stored: its key and size in bytes.
struct ThumbnailRow: Sendable {
    var key: ThumbnailKey
    var length: Int64
}

/// The only SQL touching `local_media_repository_thumbnails` and `remote_media_cache_thumbnails` (created by migration
/// 0017, `Media`): a media's thumbnails are named by its local ID, or by its origin, ID and our file ID.
enum ThumbnailsTable {
    /// Whose thumbnails: an upload of ours, or another server's media cached here.
    enum Owner: Sendable {
        case local(mediaID: String)
        case remote(origin: String, mediaID: String, fileID: String)
    }

    /// Records a thumbnail; one recorded already (made by a concurrent request) stays.
    static func insert(_ thumbnail: ThumbnailRow, of owner: Owner, in transaction: any Transaction) throws(StorageError) {
        let key = thumbnail.key
        let size: [SQLValue] = [
            .integer(Int64(key.width)), .integer(Int64(key.height)), .text(key.contentType), .text(key.method), .integer(thumbnail.length),
        ]
        switch owner {
        case .local(let mediaID):
            try transaction.execute(
                """
                INSERT INTO local_media_repository_thumbnails
                    (media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [.text(mediaID)] + size
            )
        case .remote(let origin, let mediaID, let fileID):
            try transaction.execute(
                """
                INSERT INTO remote_media_cache_thumbnails
                    (media_origin, media_id, thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length, filesystem_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                [.text(origin), .text(mediaID)] + size + [.text(fileID)]
            )
        }
    }

    static func all(of owner: Owner, in connection: any Connection) throws(StorageError) -> [ThumbnailRow] {
        let columns = "thumbnail_width, thumbnail_height, thumbnail_type, thumbnail_method, thumbnail_length"
        let rows: [Row]
        switch owner {
        case .local(let mediaID):
            rows = try connection.query("SELECT \(columns) FROM local_media_repository_thumbnails WHERE media_id = ?", [.text(mediaID)])
        case .remote(let origin, let mediaID, _):
            rows = try connection.query(
                "SELECT \(columns) FROM remote_media_cache_thumbnails WHERE media_origin = ? AND media_id = ?", [.text(origin), .text(mediaID)]
            )
        }
        return try rows.map { row throws(StorageError) in
            ThumbnailRow(
                key: ThumbnailKey(
                    width: Int(try row.decode("thumbnail_width", as: Int64.self)), height: Int(try row.decode("thumbnail_height", as: Int64.self)),
                    contentType: try row.decode("thumbnail_type"), method: try row.decode("thumbnail_method")
                ),
                length: try row.decode("thumbnail_length")
            )
        }
    }

    static func deleteAll(of owner: Owner, in transaction: any Transaction) throws(StorageError) {
        switch owner {
        case .local(let mediaID):
            try transaction.execute("DELETE FROM local_media_repository_thumbnails WHERE media_id = ?", [.text(mediaID)])
        case .remote(let origin, let mediaID, _):
            try transaction.execute(
                "DELETE FROM remote_media_cache_thumbnails WHERE media_origin = ? AND media_id = ?", [.text(origin), .text(mediaID)]
            )
        }
    }
}
