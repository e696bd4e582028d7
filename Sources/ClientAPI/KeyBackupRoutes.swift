import HTTPTypes
public import KeyBackup
public import MatrixHTTP
import MatrixTypes

/// `/room_keys/version` and `/room_keys/keys`: server-side key backups. Reads go to client readers, which read the
/// shared database; changes to the main process.
public enum KeyBackupRoutes {
    static let versionShape = RequestShape(body: .jsonObject([
        BodyField("algorithm", .string, required: true, example: "m.megolm_backup.v1.curve25519-aes-sha2"),
        BodyField("auth_data", .object, required: true, example: ["public_key": "abcdefg"]),
    ]))
    static let updateShape = RequestShape(body: .jsonObject([
        BodyField("algorithm", .string, required: true, example: "m.megolm_backup.v1.curve25519-aes-sha2"),
        BodyField("auth_data", .object, required: true, example: ["public_key": "abcdefg"]),
        BodyField("version", .string, required: false, example: "1"),
    ]))
    static let versionQuery = [QueryField("version", .string, required: true, example: "1")]
    static let keyExample: JSONValue = [
        "first_message_index": 0, "forwarded_count": 0, "is_verified": false,
        "session_data": ["ephemeral": "e", "ciphertext": "c", "mac": "m"],
    ]
    static let readShape = RequestShape(query: versionQuery)
    static let uploadAllShape = RequestShape(query: versionQuery, body: .jsonObject([
        BodyField("rooms", .object, required: true, example: ["!room:axon.test": ["sessions": ["session": keyExample]]]),
    ]))
    static let uploadRoomShape = RequestShape(query: versionQuery, body: .jsonObject([
        BodyField("sessions", .object, required: true, example: ["session": keyExample]),
    ]))
    static let uploadSessionShape = RequestShape(query: versionQuery, body: .jsonObject([
        BodyField("first_message_index", .integer, required: true, example: 0),
        BodyField("forwarded_count", .integer, required: true, example: 0),
        BodyField("is_verified", .boolean, required: true, example: false),
        BodyField("session_data", .object, required: true, example: ["ephemeral": "e", "ciphertext": "c", "mac": "m"]),
    ]))

    public static func routes(_ backups: KeyBackupService) -> [Route] {
        let versions = ClientPath.expand("/room_keys/version").flatMap { [create($0, backups), current($0, backups)] }
        let version = ClientPath.expand("/room_keys/version/{version}").flatMap {
            [show($0, backups), update($0, backups), deleteVersion($0, backups)]
        }
        let all = ClientPath.expand("/room_keys/keys").flatMap { allKeys($0, backups) }
        let room = ClientPath.expand("/room_keys/keys/{roomId}").flatMap { roomKeys($0, backups) }
        let session = ClientPath.expand("/room_keys/keys/{roomId}/{sessionId}").flatMap { sessionKeys($0, backups) }
        return versions + version + all + room + session
    }

    /// `/room_keys/keys`: the sessions of every room.
    static func allKeys(_ path: String, _ backups: KeyBackupService) -> [Route] {
        let sessions: @Sendable (AuthenticatedRequest) throws -> [BackedUpSession] = { request in
            try BackedUpSession.sessions(inRooms: request.body["rooms"]?.objectValue ?? [:])
        }
        let answer: @Sendable ([BackedUpSession]) -> JSONValue = { ["rooms": BackedUpSession.roomsJSON($0)] }
        return [
            upload(path, uploadAllShape, backups, sessions: sessions),
            read(path, backups, scope: { _ in .all }, answer: answer),
            deleteKeys(path, backups, scope: { _ in .all }),
        ]
    }

    /// `/room_keys/keys/{roomId}`: the sessions of one room.
    static func roomKeys(_ path: String, _ backups: KeyBackupService) -> [Route] {
        let sessions: @Sendable (AuthenticatedRequest) throws -> [BackedUpSession] = { request in
            try BackedUpSession.sessions(request.body["sessions"]?.objectValue ?? [:], in: try request.identifier("roomId"))
        }
        let scope: @Sendable (AuthenticatedRequest) throws -> KeyScope = { request in .room(try request.identifier("roomId")) }
        return [
            upload(path, uploadRoomShape, backups, sessions: sessions),
            read(path, backups, scope: scope, answer: BackedUpSession.sessionsJSON),
            deleteKeys(path, backups, scope: scope),
        ]
    }

    /// `/room_keys/keys/{roomId}/{sessionId}`: one session.
    static func sessionKeys(_ path: String, _ backups: KeyBackupService) -> [Route] {
        let sessions: @Sendable (AuthenticatedRequest) throws -> [BackedUpSession] = { request in
            let (roomID, sessionID) = try session(request)
            return [BackedUpSession(roomID: roomID, sessionID: sessionID, key: try RoomKey(json: request.body, place: "the session"))]
        }
        let scope: @Sendable (AuthenticatedRequest) throws -> KeyScope = { request in
            let (roomID, sessionID) = try session(request)
            return .session(roomID, sessionID: sessionID)
        }
        return [upload(path, uploadSessionShape, backups, sessions: sessions), readSession(path, backups), deleteKeys(path, backups, scope: scope)]
    }

    static func create(_ path: String, _ backups: KeyBackupService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: versionShape) { request in
            let version = try await backups.createVersion(
                algorithm: request.body["algorithm"]?.stringValue ?? "", authData: request.body["auth_data"]?.objectValue ?? [:],
                user: request.requester.userID
            )
            return .json(["version": .string(version)])
        }
    }

    static func current(_ path: String, _ backups: KeyBackupService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            .json(try await backups.version(nil, user: request.requester.userID).json)
        }
    }

    static func show(_ path: String, _ backups: KeyBackupService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            .json(try await backups.version(request.pathParameter("version"), user: request.requester.userID).json)
        }
    }

    static func update(_ path: String, _ backups: KeyBackupService) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: updateShape) { request in
            try await backups.updateVersion(
                request.pathParameter("version"), algorithm: request.body["algorithm"]?.stringValue ?? "",
                authData: request.body["auth_data"]?.objectValue ?? [:], bodyVersion: request.body["version"]?.stringValue,
                user: request.requester.userID
            )
            return .json([:])
        }
    }

    static func deleteVersion(_ path: String, _ backups: KeyBackupService) -> Route {
        Route(.delete, path, resource: .client, role: .main, auth: .user) { request in
            try await backups.deleteVersion(request.pathParameter("version"), user: request.requester.userID)
            return .json([:])
        }
    }

    /// Each upload route reads its body into sessions its own way, then stores them alike.
    static func upload(
        _ path: String, _ shape: RequestShape, _ backups: KeyBackupService,
        sessions: @escaping @Sendable (AuthenticatedRequest) throws -> [BackedUpSession]
    ) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: shape) { request in
            let state = try await backups.upload(try sessions(request), version: version(request), user: request.requester.userID)
            return .json(state.json)
        }
    }

    static func read(
        _ path: String, _ backups: KeyBackupService, scope: @escaping @Sendable (AuthenticatedRequest) throws -> KeyScope,
        answer: @escaping @Sendable ([BackedUpSession]) -> JSONValue
    ) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user, shape: readShape) { request in
            .json(answer(try await backups.keys(version: version(request), scope: try scope(request), user: request.requester.userID)))
        }
    }

    /// One session's key, or `404 M_NOT_FOUND` when the backup has none for it.
    static func readSession(_ path: String, _ backups: KeyBackupService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user, shape: readShape) { request in
            let (roomID, sessionID) = try session(request)
            return .json(try await backups.key(version: version(request), roomID: roomID, sessionID: sessionID, user: request.requester.userID).json)
        }
    }

    static func deleteKeys(
        _ path: String, _ backups: KeyBackupService, scope: @escaping @Sendable (AuthenticatedRequest) throws -> KeyScope
    ) -> Route {
        Route(.delete, path, resource: .client, role: .main, auth: .user, shape: readShape) { request in
            .json(try await backups.deleteKeys(version: version(request), scope: try scope(request), user: request.requester.userID).json)
        }
    }

    /// The required `version` parameter, which the route's shape guarantees.
    private static func version(_ request: AuthenticatedRequest) -> String {
        request.query["version"] ?? ""
    }

    private static func session(_ request: AuthenticatedRequest) throws -> (RoomID, String) {
        let sessionID = request.pathParameter("sessionId")
        try BackedUpSession.checkSessionID(sessionID)
        return (try request.identifier("roomId"), sessionID)
    }
}
