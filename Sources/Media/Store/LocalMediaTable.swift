import MatrixTypes
import Storage

/// An upload as stored; `contentType` and `length` are `nil` while a created ID waits for its upload.
struct LocalMediaRow: Sendable {
    var mediaID: String
    var contentType: String?
    var length: Int64?
    var createdAt: Int64
    var uploadName: String?
    var userID: String
    var authenticated: Bool
}

/// The only SQL touching `local_media_repository` (created by migration 0017, `Media`).
enum LocalMediaTable {
    static func insert(_ row: LocalMediaRow, urlCache: Bool = false, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO local_media_repository
                (media_id, media_type, media_length, created_ts, upload_name, user_id, authenticated, url_cache)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(row.mediaID), row.contentType.map(SQLValue.text) ?? .null, row.length.map(SQLValue.integer) ?? .null,
                .integer(row.createdAt), row.uploadName.map(SQLValue.text) ?? .null, .text(row.userID), .integer(row.authenticated ? 1 : 0),
                .integer(urlCache ? 1 : 0),
            ]
        )
    }

    static func find(_ mediaID: String, in connection: any Connection) throws(StorageError) -> LocalMediaRow? {
        try connection.queryOne(
            """
            SELECT media_id, media_type, media_length, created_ts, upload_name, user_id, authenticated
            FROM local_media_repository WHERE media_id = ?
            """,
            [.text(mediaID)]
        ).map(Self.row)
    }

    /// Fills a created ID with its upload; `false` when it was filled already (by a concurrent upload).
    static func fill(
        _ mediaID: String, contentType: String, length: Int64, uploadName: String?, in transaction: any Transaction
    ) throws(StorageError) -> Bool {
        try transaction.execute(
            """
            UPDATE local_media_repository SET media_type = ?, media_length = ?, upload_name = ?
            WHERE media_id = ? AND media_length IS NULL
            """,
            [.text(contentType), .integer(length), uploadName.map(SQLValue.text) ?? .null, .text(mediaID)]
        ) == 1
    }

    /// The creation times of the user's created IDs not yet uploaded nor expired, oldest first.
    static func pendingCreations(userID: String, since: Int64, in connection: any Connection) throws(StorageError) -> [Int64] {
        try connection.query(
            """
            SELECT created_ts FROM local_media_repository
            WHERE user_id = ? AND media_length IS NULL AND created_ts > ? ORDER BY created_ts
            """,
            [.text(userID), .integer(since)]
        ).map { row throws(StorageError) in try row.decode("created_ts") }
    }

    /// Up to `limit` created IDs whose upload never came before `before`.
    static func expiredCreations(before: Int64, limit: Int, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            "SELECT media_id FROM local_media_repository WHERE media_length IS NULL AND created_ts < ? LIMIT ?",
            [.integer(before), .integer(Int64(limit))]
        ).map { row throws(StorageError) in try row.decode("media_id") }
    }

    /// Up to `limit` uploads older than `before`, previews' images included.
    static func uploadedBefore(_ before: Int64, limit: Int, in connection: any Connection) throws(StorageError) -> [String] {
        try connection.query(
            "SELECT media_id FROM local_media_repository WHERE media_length IS NOT NULL AND created_ts < ? LIMIT ?",
            [.integer(before), .integer(Int64(limit))]
        ).map { row throws(StorageError) in try row.decode("media_id") }
    }

    static func delete(_ mediaID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM local_media_repository WHERE media_id = ?", [.text(mediaID)])
    }

    private static func row(_ row: Row) throws(StorageError) -> LocalMediaRow {
        LocalMediaRow(
            mediaID: try row.decode("media_id"), contentType: try row.decode("media_type"), length: try row.decode("media_length"),
            createdAt: try row.decode("created_ts"), uploadName: try row.decode("upload_name"), userID: try row.decode("user_id"),
            authenticated: try row.decode("authenticated", as: Int64.self) != 0
        )
    }
}
