import Storage

/// The only SQL touching `user_filters` (created by migration 0004, `RoomFeatures`): each user's uploaded filters,
/// numbered from 0 per user, stored as the JSON text uploaded.
enum UserFiltersTable {
    /// Stores `json` under the user's next number and returns it.
    static func insert(userID: String, json: String, in transaction: any Transaction) throws(StorageError) -> Int64 {
        let next = try transaction.queryValue(
            "SELECT COALESCE(MAX(filter_id), -1) + 1 FROM user_filters WHERE user_id = ?", [.text(userID)], as: Int64.self
        )
        try transaction.execute(
            "INSERT INTO user_filters (user_id, filter_id, filter_json) VALUES (?, ?, ?)", [.text(userID), .integer(next), .text(json)]
        )
        return next
    }

    static func json(userID: String, filterID: Int64, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            "SELECT filter_json FROM user_filters WHERE user_id = ? AND filter_id = ?", [.text(userID), .integer(filterID)]
        )?.decode(0)
    }
}
