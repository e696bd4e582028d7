public import MatrixTypes

/// One backed-up session key (the spec's `KeyBackupData`): what the server compares, and the encrypted
/// `session_data` it only stores.
public struct RoomKey: Sendable, Equatable {
    public var firstMessageIndex: Int64
    public var forwardedCount: Int64
    public var isVerified: Bool
    public var sessionData: JSONObject

    public init(firstMessageIndex: Int64, forwardedCount: Int64, isVerified: Bool, sessionData: JSONObject) {
        self.firstMessageIndex = firstMessageIndex
        self.forwardedCount = forwardedCount
        self.isVerified = isVerified
        self.sessionData = sessionData
    }

    /// Where the spec's rules for keeping one of two keys of a session place this one.
    public var rank: KeyRank {
        KeyRank(isVerified: isVerified, firstMessageIndex: firstMessageIndex, forwardedCount: forwardedCount)
    }

    /// Reads a key as the spec defines it; `place` names it in the error ("session S in room R").
    public init(json: JSONValue, place: String) throws(KeyBackupError) {
        guard let object = json.objectValue else { throw .invalid("The key of \(place) must be an object") }
        func field<T>(_ name: String, _ kind: String, _ read: (JSONValue) -> T?) throws(KeyBackupError) -> T {
            guard let value = object[name].flatMap(read) else { throw .invalid("'\(name)' of \(place) must be \(kind)") }
            return value
        }
        self.init(
            firstMessageIndex: try field("first_message_index", "an integer", \.integerValue),
            forwardedCount: try field("forwarded_count", "an integer", \.integerValue),
            isVerified: try field("is_verified", "a boolean", \.boolValue),
            sessionData: try field("session_data", "an object", \.objectValue)
        )
    }

    public var json: JSONValue {
        [
            "first_message_index": .integer(firstMessageIndex),
            "forwarded_count": .integer(forwardedCount),
            "is_verified": .bool(isVerified),
            "session_data": .object(sessionData),
        ]
    }
}
