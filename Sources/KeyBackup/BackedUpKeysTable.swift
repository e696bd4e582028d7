import MatrixTypes
import Storage

/// One stored key; `sessionData` is the JSON text of its encrypted `session_data`.
struct BackedUpKeyRow: Sendable {
    var roomID: String
    var sessionID: String
    var firstMessageIndex: Int64
    var forwardedCount: Int64
    var isVerified: Bool
    var sessionData: String
}

/// The only SQL touching `e2e_room_keys` (created by migration 0016, `KeyBackup`): the keys of each user's backups.
enum BackedUpKeysTable {
    /// Keys per statement, however many an upload holds: SQLite allows 32,766 parameters, and an upsert takes eight
    /// per key.
    static let keysPerStatement = 500

    /// The backup's keys in `scope`, in one statement.
    static func keys(userID: String, version: Int64, scope: KeyScope, in connection: any Connection) throws(StorageError) -> [BackedUpKeyRow] {
        let (condition, params) = matching(userID: userID, version: version, scope: scope)
        return try connection.query("SELECT \(columns) FROM e2e_room_keys WHERE \(condition)", params).map(decode)
    }

    /// How the keys stored for `sessionIDs` in one room of the backup rank, for those that have one.
    static func ranks(userID: String, version: Int64, roomID: String, sessionIDs: [String], in connection: any Connection) throws(StorageError)
        -> [(sessionID: String, rank: KeyRank)]
    {
        var ranks: [(sessionID: String, rank: KeyRank)] = []
        for start in stride(from: 0, to: sessionIDs.count, by: keysPerStatement) {
            let chunk = sessionIDs[start..<min(start + keysPerStatement, sessionIDs.count)]
            ranks += try connection.query(
                """
                SELECT session_id, is_verified, first_message_index, forwarded_count FROM e2e_room_keys
                WHERE user_id = ? AND version = ? AND room_id = ? AND session_id IN (\(placeholders(chunk.count)))
                """,
                [.text(userID), .integer(version), .text(roomID)] + chunk.map(SQLValue.text)
            ).map { row throws(StorageError) in
                let rank = KeyRank(
                    isVerified: try row.decode("is_verified"), firstMessageIndex: try row.decode("first_message_index"),
                    forwardedCount: try row.decode("forwarded_count")
                )
                return (try row.decode("session_id"), rank)
            }
        }
        return ranks
    }

    /// Stores `rows` in the backup, each replacing the key stored for its session if there is one.
    static func upsert(userID: String, version: Int64, _ rows: [BackedUpKeyRow], in transaction: any Transaction) throws(StorageError) {
        for start in stride(from: 0, to: rows.count, by: keysPerStatement) {
            let chunk = rows[start..<min(start + keysPerStatement, rows.count)]
            try transaction.execute(
                """
                INSERT INTO e2e_room_keys (\(columns), user_id, version)
                VALUES \(Array(repeating: "(\(placeholders(8)))", count: chunk.count).joined(separator: ", "))
                ON CONFLICT (user_id, version, room_id, session_id) DO UPDATE SET
                    first_message_index = excluded.first_message_index, forwarded_count = excluded.forwarded_count,
                    is_verified = excluded.is_verified, session_data = excluded.session_data
                """,
                chunk.flatMap { row -> [SQLValue] in
                    [
                        .text(row.roomID), .text(row.sessionID), .integer(row.firstMessageIndex), .integer(row.forwardedCount),
                        SQLValue(row.isVerified), .text(row.sessionData), .text(userID), .integer(version),
                    ]
                }
            )
        }
    }

    /// Deletes the backup's keys in `scope`; returns how many there were.
    static func delete(userID: String, version: Int64, scope: KeyScope, in transaction: any Transaction) throws(StorageError) -> Int {
        let (condition, params) = matching(userID: userID, version: version, scope: scope)
        return try transaction.execute("DELETE FROM e2e_room_keys WHERE \(condition)", params)
    }

    private static let columns = "room_id, session_id, first_message_index, forwarded_count, is_verified, session_data"

    /// Deletes every key of every backup of the user.
    static func deleteAll(userID: String, in transaction: any Transaction) throws(StorageError) {
        try transaction.execute("DELETE FROM e2e_room_keys WHERE user_id = ?", [.text(userID)])
    }

    private static func matching(userID: String, version: Int64, scope: KeyScope) -> (String, [SQLValue]) {
        let backup: [SQLValue] = [.text(userID), .integer(version)]
        return switch scope {
        case .all:
            ("user_id = ? AND version = ?", backup)
        case .room(let room):
            ("user_id = ? AND version = ? AND room_id = ?", backup + [.text(room.rawValue)])
        case .session(let room, let session):
            ("user_id = ? AND version = ? AND room_id = ? AND session_id = ?", backup + [.text(room.rawValue), .text(session)])
        }
    }

    private static func decode(_ row: Row) throws(StorageError) -> BackedUpKeyRow {
        BackedUpKeyRow(
            roomID: try row.decode("room_id"), sessionID: try row.decode("session_id"),
            firstMessageIndex: try row.decode("first_message_index"), forwardedCount: try row.decode("forwarded_count"),
            isVerified: try row.decode("is_verified"), sessionData: try row.decode("session_data")
        )
    }
}
