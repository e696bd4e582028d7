import Storage

/// One row of `devices`, as `GET /devices` reports it.
public struct DeviceInfo: Sendable, Equatable {
    public var deviceID: String
    public var displayName: String?
    public var lastSeenIP: String?
    public var lastSeenTimestamp: Int64?
}

/// The only SQL touching `devices` (migration 0002, `Accounts`).
enum DevicesTable {
    /// Creates the device unless the user already has one with this ID (logging in again on a known device
    /// keeps its display name). Returns whether it was created.
    @discardableResult
    static func insertIfMissing(
        userID: String, deviceID: String, displayName: String?, address: String?, at now: Int64, in transaction: any Transaction
    ) throws(StorageError) -> Bool {
        try transaction.execute(
            """
            INSERT INTO devices (user_id, device_id, display_name, created_ts, last_seen_ts, last_seen_ip)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, device_id) DO NOTHING
            """,
            [.text(userID), .text(deviceID), SQLValue(displayName), .integer(now), .integer(now), SQLValue(address)]
        ) == 1
    }

    static func list(userID: String, in connection: any Connection) throws(StorageError) -> [DeviceInfo] {
        try connection.query(
            "SELECT device_id, display_name, last_seen_ip, last_seen_ts FROM devices WHERE user_id = ? ORDER BY device_id",
            [.text(userID)]
        ).map(decode)
    }

    static func find(userID: String, deviceID: String, in connection: any Connection) throws(StorageError) -> DeviceInfo? {
        try connection.queryOne(
            "SELECT device_id, display_name, last_seen_ip, last_seen_ts FROM devices WHERE user_id = ? AND device_id = ?",
            [.text(userID), .text(deviceID)]
        ).map(decode)
    }

    /// Returns whether the device exists.
    static func setDisplayName(
        _ name: String?, userID: String, deviceID: String, in transaction: any Transaction
    ) throws(StorageError) -> Bool {
        try transaction.execute(
            "UPDATE devices SET display_name = ? WHERE user_id = ? AND device_id = ?", [SQLValue(name), .text(userID), .text(deviceID)]
        ) == 1
    }

    /// Returns the IDs of the devices deleted.
    static func delete(userID: String, deviceIDs: [String], in transaction: any Transaction) throws(StorageError) -> [String] {
        guard !deviceIDs.isEmpty else { return [] }
        return try transaction.query(
            "DELETE FROM devices WHERE user_id = ? AND device_id IN (\(placeholders(deviceIDs.count))) RETURNING device_id",
            [.text(userID)] + deviceIDs.map(SQLValue.text)
        ).map { row throws(StorageError) in try row.decode("device_id") }
    }

    /// Deletes every device of the user but `kept`; returns the IDs of those deleted.
    static func deleteAll(userID: String, except kept: String?, in transaction: any Transaction) throws(StorageError) -> [String] {
        try transaction.query(
            "DELETE FROM devices WHERE user_id = ? AND device_id <> ? RETURNING device_id", [.text(userID), .text(kept ?? "")]
        ).map { row throws(StorageError) in try row.decode("device_id") }
    }

    /// The devices of each of `userIDs` that has any, with their display names.
    static func devices(of userIDs: [String], in connection: any Connection) throws(StorageError) -> [(userID: String, device: DeviceInfo)] {
        guard !userIDs.isEmpty else { return [] }
        return try connection.query(
            """
            SELECT user_id, device_id, display_name, last_seen_ip, last_seen_ts FROM devices
            WHERE user_id IN (\(placeholders(userIDs.count))) ORDER BY user_id, device_id
            """,
            userIDs.map(SQLValue.text)
        ).map { row throws(StorageError) in (try row.decode("user_id"), try decode(row)) }
    }

    private static func decode(_ row: Row) throws(StorageError) -> DeviceInfo {
        DeviceInfo(
            deviceID: try row.decode("device_id"), displayName: try row.decode("display_name"),
            lastSeenIP: try row.decode("last_seen_ip"), lastSeenTimestamp: try row.decode("last_seen_ts")
        )
    }
}
