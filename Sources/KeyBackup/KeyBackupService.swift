public import MatrixTypes
public import Storage

/// Server-side key backups (`/room_keys`): each user's backups and the encrypted session keys in them. Keys are
/// stored only in the current backup (the newest not deleted); every backup not deleted can be read and emptied.
public final class KeyBackupService: Sendable {
    private let database: any Database

    /// Bounds one upload's work; clients back up new keys in batches of a few hundred.
    public static let maximumSessionsPerUpload = 10_000

    public init(database: any Database) {
        self.database = database
    }

    /// Deletes every backup of `userID` and its keys, in the transaction that deactivates the account (as Synapse does).
    public static func deleteEverything(of userID: String, in transaction: any Transaction) throws(StorageError) {
        try BackupVersionsTable.lockUser(userID, in: transaction)
        try BackedUpKeysTable.deleteAll(userID: userID, in: transaction)
        try BackupVersionsTable.markAllDeleted(userID: userID, in: transaction)
    }

    /// Creates the user's next backup, which becomes the current one; returns its version.
    public func createVersion(algorithm: String, authData: JSONObject, user: UserID) async throws(KeyBackupError) -> String {
        try Self.checkAlgorithm(algorithm)
        let authText = Self.text(authData)
        let version = try await KeyBackupError.catching {
            try await database.write { transaction in
                try BackupVersionsTable.lockUser(user.rawValue, in: transaction)
                let version = try BackupVersionsTable.nextVersion(userID: user.rawValue, in: transaction)
                try BackupVersionsTable.insert(userID: user.rawValue, version: version, algorithm: algorithm, authData: authText, in: transaction)
                return version
            }
        }
        return String(version)
    }

    /// The backup `version`, or the current one when `version` is `nil`.
    public func version(_ version: String?, user: UserID) async throws(KeyBackupError) -> BackupVersion {
        let number = try version.map { text throws(KeyBackupError) in try Self.number(text) }
        let row = try await KeyBackupError.catching {
            try await database.readStatement { connection in
                try BackupVersionsTable.live(userID: user.rawValue, version: number, in: connection)
            }
        }
        guard let row else { throw version == nil ? .noCurrentVersion : .unknownVersion }
        return BackupVersion(
            version: String(row.version), algorithm: row.algorithm, authData: try Self.object(row.authData, column: "auth_data"),
            etag: String(row.etag), count: row.keyCount
        )
    }

    /// Replaces the backup's `auth_data`. Its algorithm stays: the body must name the same one, and `bodyVersion`, when
    /// the body has one, the same version as the path.
    public func updateVersion(
        _ version: String, algorithm: String, authData: JSONObject, bodyVersion: String?, user: UserID
    ) async throws(KeyBackupError) {
        if let bodyVersion, !bodyVersion.hasSameBytes(as: version) { throw .versionMismatch }
        let number = try Self.number(version)
        let authText = Self.text(authData)
        try await KeyBackupError.catching {
            try await database.write { transaction in
                try BackupVersionsTable.lockUser(user.rawValue, in: transaction)
                guard let backup = try BackupVersionsTable.live(userID: user.rawValue, version: number, in: transaction) else {
                    throw KeyBackupError.unknownVersion
                }
                guard backup.algorithm.hasSameBytes(as: algorithm) else { throw KeyBackupError.algorithmMismatch }
                try BackupVersionsTable.setAuthData(authText, userID: user.rawValue, version: number, in: transaction)
            }
        }
    }

    /// Deletes the backup and its keys. Deleting one already deleted succeeds, as the spec asks.
    public func deleteVersion(_ version: String, user: UserID) async throws(KeyBackupError) {
        let number = try Self.number(version)
        try await KeyBackupError.catching {
            try await database.write { transaction in
                try BackupVersionsTable.lockUser(user.rawValue, in: transaction)
                guard try BackupVersionsTable.markDeleted(userID: user.rawValue, version: number, in: transaction) else {
                    throw KeyBackupError.unknownVersion
                }
                _ = try BackedUpKeysTable.delete(userID: user.rawValue, version: number, scope: .all, in: transaction)
            }
        }
    }

    /// Stores `sessions` in the current backup, which `version` must name: a session's key is added when the backup has
    /// none, and replaces the stored one when it ranks higher (`KeyRank`). The etag changes when anything was stored.
    public func upload(_ sessions: [BackedUpSession], version: String, user: UserID) async throws(KeyBackupError) -> BackupKeysState {
        guard sessions.count <= Self.maximumSessionsPerUpload else { throw .tooManySessions(limit: Self.maximumSessionsPerUpload) }
        let number = try Self.number(version)
        let byRoom = Dictionary(grouping: sessions.map { (rank: $0.key.rank, row: Self.row($0)) }) { JSONKey($0.row.roomID) }
        return try await KeyBackupError.catching {
            try await database.write { transaction in
                let userID = user.rawValue
                try BackupVersionsTable.lockUser(userID, in: transaction)
                guard let current = try BackupVersionsTable.live(userID: userID, version: nil, in: transaction) else {
                    throw KeyBackupError.unknownVersion
                }
                guard current.version == number else {
                    let exists = try BackupVersionsTable.live(userID: userID, version: number, in: transaction) != nil
                    throw exists ? KeyBackupError.wrongVersion(current: String(current.version)) : .unknownVersion
                }
                var stored: [BackedUpKeyRow] = []
                var added: Int64 = 0
                for (room, uploads) in byRoom {
                    let ranks = Dictionary(
                        try BackedUpKeysTable.ranks(
                            userID: userID, version: number, roomID: room.string, sessionIDs: uploads.map(\.row.sessionID), in: transaction
                        ).map { (JSONKey($0.sessionID), $0.rank) },
                        uniquingKeysWith: { first, _ in first }
                    )
                    for upload in uploads {
                        if let rank = ranks[JSONKey(upload.row.sessionID)] {
                            guard upload.rank > rank else { continue }
                        } else {
                            added += 1
                        }
                        stored.append(upload.row)
                    }
                }
                guard !stored.isEmpty else { return BackupKeysState(etag: String(current.etag), count: current.keyCount) }
                try BackedUpKeysTable.upsert(userID: userID, version: number, stored, in: transaction)
                try BackupVersionsTable.keysChanged(userID: userID, version: number, added: added, in: transaction)
                return BackupKeysState(etag: String(current.etag + 1), count: current.keyCount + added)
            }
        }
    }

    /// The keys in `scope` of the backup `version`, read in one statement.
    public func keys(version: String, scope: KeyScope, user: UserID) async throws(KeyBackupError) -> [BackedUpSession] {
        let number = try Self.number(version)
        let rows = try await KeyBackupError.catching {
            try await database.read { connection in
                guard try BackupVersionsTable.live(userID: user.rawValue, version: number, in: connection) != nil else {
                    throw KeyBackupError.unknownVersion
                }
                return try BackedUpKeysTable.keys(userID: user.rawValue, version: number, scope: scope, in: connection)
            }
        }
        return try rows.map { row throws(KeyBackupError) in
            let roomID: RoomID
            do {
                roomID = try RoomID(row.roomID)
            } catch {
                throw .storage(.typeMismatch(column: "room_id", expected: "a room ID", found: row.roomID))
            }
            let key = RoomKey(
                firstMessageIndex: row.firstMessageIndex, forwardedCount: row.forwardedCount, isVerified: row.isVerified,
                sessionData: try Self.object(row.sessionData, column: "session_data")
            )
            return BackedUpSession(roomID: roomID, sessionID: row.sessionID, key: key)
        }
    }

    /// The key of one session in the backup `version`.
    public func key(version: String, roomID: RoomID, sessionID: String, user: UserID) async throws(KeyBackupError) -> RoomKey {
        guard let session = try await keys(version: version, scope: .session(roomID, sessionID: sessionID), user: user).first else {
            throw .keyNotFound
        }
        return session.key
    }

    /// Deletes the keys in `scope` of the backup `version`, which need not be the current one. The etag changes even
    /// when there was nothing to delete, as in Synapse.
    public func deleteKeys(version: String, scope: KeyScope, user: UserID) async throws(KeyBackupError) -> BackupKeysState {
        let number = try Self.number(version)
        return try await KeyBackupError.catching {
            try await database.write { transaction in
                try BackupVersionsTable.lockUser(user.rawValue, in: transaction)
                guard let backup = try BackupVersionsTable.live(userID: user.rawValue, version: number, in: transaction) else {
                    throw KeyBackupError.unknownVersion
                }
                let deleted = Int64(try BackedUpKeysTable.delete(userID: user.rawValue, version: number, scope: scope, in: transaction))
                try BackupVersionsTable.keysChanged(userID: user.rawValue, version: number, added: -deleted, in: transaction)
                return BackupKeysState(etag: String(backup.etag + 1), count: backup.keyCount - deleted)
            }
        }
    }

    /// Versions are the decimal numbers this server hands out; any other text names no backup.
    private static func number(_ version: String) throws(KeyBackupError) -> Int64 {
        guard let number = Int64(version), number > 0, String(number).hasSameBytes(as: version) else { throw .unknownVersion }
        return number
    }

    /// PostgreSQL text cannot hold a NUL.
    private static func checkAlgorithm(_ algorithm: String) throws(KeyBackupError) {
        if algorithm.utf8.contains(0) { throw .invalid("'algorithm' cannot hold NUL") }
    }

    private static func text(_ object: JSONObject) -> String {
        String(decoding: JSONValue.object(object).encoded(), as: UTF8.self)
    }

    private static func object(_ text: String, column: String) throws(KeyBackupError) -> JSONObject {
        guard let object = (try? JSONValue.parse(text))?.objectValue else {
            throw .storage(.typeMismatch(column: column, expected: "a JSON object", found: "other text"))
        }
        return object
    }

    private static func row(_ session: BackedUpSession) -> BackedUpKeyRow {
        BackedUpKeyRow(
            roomID: session.roomID.rawValue, sessionID: session.sessionID, firstMessageIndex: session.key.firstMessageIndex,
            forwardedCount: session.key.forwardedCount, isVerified: session.key.isVerified, sessionData: text(session.key.sessionData)
        )
    }
}
