public import MatrixTypes

/// A session key with the room and session it belongs to: what an upload carries and a read returns.
public struct BackedUpSession: Sendable, Equatable {
    public var roomID: RoomID
    public var sessionID: String
    public var key: RoomKey

    public init(roomID: RoomID, sessionID: String, key: RoomKey) {
        self.roomID = roomID
        self.sessionID = sessionID
        self.key = key
    }

    /// Session IDs are keys of the backup's index, so they are as bounded as the identifiers beside them (megolm's
    /// are 43 bytes).
    public static let maximumSessionIDBytes = 255

    /// Refuses a session ID that no session has: empty, too long, or holding a NUL (which PostgreSQL text cannot).
    public static func checkSessionID(_ sessionID: String) throws(KeyBackupError) {
        guard !sessionID.isEmpty, sessionID.utf8.count <= maximumSessionIDBytes, !sessionID.utf8.contains(0) else {
            throw .invalidIdentifier("A session ID must be 1 to \(maximumSessionIDBytes) bytes without NUL")
        }
    }

    /// The sessions of a `{"rooms": {roomId: {"sessions": {sessionId: key}}}}` body's `rooms`.
    public static func sessions(inRooms rooms: JSONObject) throws(KeyBackupError) -> [BackedUpSession] {
        var sessions: [BackedUpSession] = []
        for (room, value) in rooms {
            let roomID: RoomID
            do {
                roomID = try RoomID(room)
            } catch {
                throw .invalidIdentifier("'\(room)' is not a valid room ID: \(error.message)")
            }
            guard let roomSessions = value["sessions"]?.objectValue else {
                throw .invalid("Room \(room) must be an object with a 'sessions' object")
            }
            sessions += try Self.sessions(roomSessions, in: roomID)
        }
        return sessions
    }

    /// The sessions of one room's `{"sessions": {sessionId: key}}` body's `sessions`.
    public static func sessions(_ sessions: JSONObject, in roomID: RoomID) throws(KeyBackupError) -> [BackedUpSession] {
        var parsed: [BackedUpSession] = []
        parsed.reserveCapacity(sessions.count)
        for (sessionID, value) in sessions {
            try checkSessionID(sessionID)
            let key = try RoomKey(json: value, place: "session \(sessionID) in room \(roomID)")
            parsed.append(BackedUpSession(roomID: roomID, sessionID: sessionID, key: key))
        }
        return parsed
    }

    /// `{roomId: {"sessions": {sessionId: key}}}`, the `rooms` of a read.
    public static func roomsJSON(_ sessions: [BackedUpSession]) -> JSONValue {
        let byRoom = Dictionary(grouping: sessions) { JSONKey($0.roomID.rawValue) }
        return .object(JSONObject(uniqueKeysWithValues: byRoom.map { room, sessions in (room.string, sessionsJSON(sessions)) }))
    }

    /// `{"sessions": {sessionId: key}}`, one room of a read. Session IDs are unique per room, as stored.
    public static func sessionsJSON(_ sessions: [BackedUpSession]) -> JSONValue {
        ["sessions": .object(JSONObject(uniqueKeysWithValues: sessions.map { ($0.sessionID, $0.key.json) }))]
    }
}
