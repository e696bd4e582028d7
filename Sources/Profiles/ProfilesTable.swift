import Storage

/// The only SQL touching `profiles` (created by migration 0004, `RoomFeatures`): one row per local user who set a
/// display name or avatar.
enum ProfilesTable {
    static func find(userID: String, in connection: any Connection) throws(StorageError) -> (displayName: String?, avatarURL: String?)? {
        guard let row = try connection.queryOne("SELECT displayname, avatar_url FROM profiles WHERE user_id = ?", [.text(userID)]) else {
            return nil
        }
        return (try row.decode("displayname"), try row.decode("avatar_url"))
    }

    static func upsert(userID: String, displayName: String?, avatarURL: String?, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute(
            """
            INSERT INTO profiles (user_id, displayname, avatar_url) VALUES (?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET displayname = excluded.displayname, avatar_url = excluded.avatar_url
            """,
            [.text(userID), SQLValue(displayName), SQLValue(avatarURL)]
        )
    }
}
