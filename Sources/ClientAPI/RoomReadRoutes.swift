import Accounts
import HTTPTypes
public import MatrixHTTP
import MatrixTypes
import Replication
public import Rooms
import RoomStore

/// Reading rooms: events, state, members, history and the rooms a user is in. Client readers serve these.
public enum RoomReadRoutes {
    static let formatQuery = RequestShape(query: [QueryField("format", .oneOf(["content", "event"]), example: "content")])
    static let membersQuery = RequestShape(query: [
        QueryField("at", .string, example: "s0"),
        QueryField("membership", .oneOf(["join", "invite", "leave", "ban", "knock"]), example: "join"),
        QueryField("not_membership", .oneOf(["join", "invite", "leave", "ban", "knock"]), example: "leave"),
    ])
    static let messagesQuery = RequestShape(query: [
        QueryField("from", .string, example: "s0"),
        QueryField("to", .string, example: "s0"),
        QueryField("dir", .oneOf(["b", "f"]), example: "b"),
        QueryField("limit", .integer(0...10_000), example: "10"),
        QueryField("filter", .string, example: "{}"),
    ])

    public static func routes(_ reader: RoomReader) -> [Route] {
        ClientPath.expand("/rooms/{roomId}/event/{eventId}").map { event($0, reader) }
            + ClientPath.expand("/rooms/{roomId}/state").map { state($0, reader) }
            + ClientPath.expand("/rooms/{roomId}/state/{eventType}").map { stateEvent($0, hasKey: false, reader) }
            + ClientPath.expand("/rooms/{roomId}/state/{eventType}/{stateKey}").map { stateEvent($0, hasKey: true, reader) }
            + ClientPath.expand("/rooms/{roomId}/members").map { members($0, reader) }
            + ClientPath.expand("/rooms/{roomId}/joined_members").map { joinedMembers($0, reader) }
            + ClientPath.expand("/joined_rooms").map { joinedRooms($0, reader) }
            + ClientPath.expand("/rooms/{roomId}/messages").map { messages($0, reader) }
            + ClientPath.expand("/rooms/{roomId}/context/{eventId}").map { context($0, reader) }
    }

    static func event(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { request in
            // A malformed event ID names no event: not found, as Synapse answers.
            guard let eventID = try? EventID(request.pathParameter("eventId")) else { throw RoomError.eventNotFound }
            return .json(try await reader.event(eventID, in: try request.identifier("roomId"), viewer: viewer(request)))
        }
    }

    static func state(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { request in
            let roomID: RoomID = try request.identifier("roomId")
            let events = try await reader.state(of: roomID, viewer: request.requester.userID)
            return .json(.array(try await reader.format(events, in: roomID, viewer: viewer(request))))
        }
    }

    static func stateEvent(_ path: String, hasKey: Bool, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: formatQuery) { request in
            let roomID: RoomID = try request.identifier("roomId")
            let key = StateKey(request.pathParameter("eventType"), hasKey ? request.pathParameter("stateKey") : "")
            let event = try await reader.stateEvent(key, of: roomID, viewer: request.requester.userID)
            let json = try await reader.format([event], in: roomID, viewer: viewer(request))[0]
            return .json(request.query["format"] == "event" ? json : json["content"] ?? [:])
        }
    }

    static func members(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: membersQuery) { request in
            let roomID: RoomID = try request.identifier("roomId")
            let at = try request.query["at"].map(roomToken)
            let events = try await reader.members(
                of: roomID, viewer: request.requester.userID, at: at, membership: request.query["membership"],
                notMembership: request.query["not_membership"]
            )
            return .json(["chunk": .array(try await reader.format(events, in: roomID, viewer: viewer(request)))])
        }
    }

    static func joinedMembers(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            let roomID: RoomID = try request.identifier("roomId")
            let events = try await reader.members(
                of: roomID, viewer: request.requester.userID, at: nil, membership: Membership.join, notMembership: nil
            )
            var joined: JSONObject = [:]
            for event in try await reader.format(events, in: roomID, viewer: nil) {
                guard let user = event["state_key"]?.stringValue else { continue }
                var profile: JSONObject = [:]
                if let name = event["content"]?["displayname"], name != .null { profile["display_name"] = name }
                if let avatar = event["content"]?["avatar_url"], avatar != .null { profile["avatar_url"] = avatar }
                joined[user] = .object(profile)
            }
            return .json(["joined": .object(joined)])
        }
    }

    static func joinedRooms(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { request in
            let rooms = try await reader.joinedRooms(of: request.requester.userID)
            return .json(["joined_rooms": .array(rooms.map { .string($0.rawValue) })])
        }
    }

    static func messages(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: messagesQuery) { request in
            let filter = try request.query["filter"].map(jsonFilter) ?? [:]
            let limit = Int(request.query["limit"].flatMap { Int64($0) } ?? 10)
            let page = try await reader.messages(
                in: try request.identifier("roomId"), viewer: viewer(request), from: try request.query["from"].map(roomToken),
                to: try request.query["to"].map(roomToken), direction: request.query["dir"] == "f" ? .forward : .backward,
                limit: min(max(limit, 0), 1000), filter: EventFilter(json: filter)
            )
            var body: JSONObject = ["chunk": .array(page.chunk), "start": .string(page.start.description)]
            if let end = page.end { body["end"] = .string(end.description) }
            return .json(.object(body))
        }
    }

    static let contextQuery = RequestShape(query: [
        QueryField("limit", .integer(0...10_000), example: "10"),
        QueryField("filter", .string, example: "{}"),
    ])

    static func context(_ path: String, _ reader: RoomReader) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: contextQuery) { request in
            guard let eventID = try? EventID(request.pathParameter("eventId")) else { throw RoomError.eventNotFound }
            let filter = try request.query["filter"].map(jsonFilter) ?? [:]
            let limit = Int(request.query["limit"].flatMap { Int64($0) } ?? 10)
            return .json(try await reader.context(
                of: eventID, in: try request.identifier("roomId"), viewer: viewer(request), limit: min(limit, 100),
                filter: EventFilter(json: filter)
            ))
        }
    }

    static func viewer(_ request: AuthenticatedRequest) -> ClientEventFormat.Viewer {
        .init(userID: request.requester.userID, deviceID: request.requester.deviceID)
    }

    static func roomToken(_ text: String) throws(MatrixError) -> RoomToken {
        guard let token = RoomToken(text) else { throw .invalidParameter("Invalid pagination token '\(text)'") }
        return token
    }

    static func jsonFilter(_ text: String) throws(MatrixError) -> JSONValue {
        guard let filter = try? JSONValue.parse(text), filter.objectValue != nil else {
            throw .invalidParameter("'filter' must be a JSON object")
        }
        return filter
    }
}
