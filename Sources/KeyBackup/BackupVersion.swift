public import MatrixTypes

/// One backup as `GET /room_keys/version` shows it.
public struct BackupVersion: Sendable, Equatable {
    public var version: String
    public var algorithm: String
    public var authData: JSONObject
    /// Changes whenever the backup's keys do.
    public var etag: String
    public var count: Int64

    public init(version: String, algorithm: String, authData: JSONObject, etag: String, count: Int64) {
        self.version = version
        self.algorithm = algorithm
        self.authData = authData
        self.etag = etag
        self.count = count
    }

    public var json: JSONValue {
        [
            "version": .string(version), "algorithm": .string(algorithm), "auth_data": .object(authData),
            "etag": .string(etag), "count": .integer(count),
        ]
    }
}

/// What a change to a backup's keys answers: the backup's etag and key count after it.
public struct BackupKeysState: Sendable, Equatable {
    public var etag: String
    public var count: Int64

    public init(etag: String, count: Int64) {
        self.etag = etag
        self.count = count
    }

    public var json: JSONValue {
        ["etag": .string(etag), "count": .integer(count)]
    }
}
