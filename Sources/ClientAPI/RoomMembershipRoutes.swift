public import MatrixHTTP
public import Rooms
import Accounts
import HTTPTypes
import MatrixTypes

/// `/createRoom`, joining, leaving, inviting, kicking, banning and unbanning. All write through the room writer,
/// so they run on the main process.
public enum RoomMembershipRoutes {
    static let createShape = RequestShape(
        body: .jsonObjectOrEmpty([
            BodyField("name", .string, required: false, example: "Lobby"),
            BodyField("topic", .string, required: false, example: "Say hi"),
            BodyField("preset", .string, required: false, example: "private_chat"),
            BodyField("visibility", .string, required: false, example: "private"),
            // No alias in the example: an example request may run more than once, and an alias is taken only once.
            BodyField("room_alias_name", .string, required: false, example: .null),
            BodyField("invite", .array, required: false, example: []),
            BodyField("initial_state", .array, required: false, example: []),
            BodyField("power_level_content_override", .object, required: false, example: [:]),
            BodyField("creation_content", .object, required: false, example: [:]),
            BodyField("is_direct", .boolean, required: false, example: false),
            BodyField("room_version", .string, required: false, example: "10"),
        ])
    )
    static let reasonShape = RequestShape(body: .jsonObjectOrEmpty([BodyField("reason", .string, required: false, example: "bye")]))
    /// `via` (and the older `server_name`, both repeatable): servers to join or knock on a room held elsewhere through.
    static let joinShape = RequestShape(
        query: [QueryField("via", .string, example: "axon.test"), QueryField("server_name", .string, example: "axon.test")],
        body: reasonShape.body
    )
    static let targetShape = RequestShape(
        body: .jsonObject([
            BodyField("user_id", .string, required: true, example: "@nobody:axon.test"),
            BodyField("reason", .string, required: false, example: "rules"),
        ])
    )

    /// `messageLimiter` is `rc_message`: each route that writes an event costs its sender one action, as in Synapse.
    public static func routes(_ rooms: RoomService, messageLimiter: RateLimiter) -> [Route] {
        ClientPath.expand("/createRoom").map { create($0, rooms, messageLimiter) }
            + ClientPath.expand("/join/{roomIdOrAlias}").map { join($0, parameter: "roomIdOrAlias", rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/join").map { join($0, parameter: "roomId", rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/leave").map { leave($0, rooms, messageLimiter) }
            + ClientPath.expand("/knock/{roomIdOrAlias}", versions: ["v3"]).map { knock($0, rooms, messageLimiter) }
            + ClientPath.expand("/rooms/{roomId}/forget").map { forget($0, rooms) }
            + [("invite", RoomService.MembershipAction.invite), ("kick", .kick), ("ban", .ban), ("unban", .unban)]
            .flatMap { name, action in
                ClientPath.expand("/rooms/{roomId}/\(name)").map { target($0, action: action, rooms, messageLimiter) }
            }
    }

    static func create(_ path: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: createShape, rateLimiter: limiter) { request in
            let roomID = try await rooms.createRoom(RoomCreationRequest(body: request.body), creator: request.requester.userID)
            return .json(["room_id": .string(roomID.rawValue)])
        }
    }

    static func join(_ path: String, parameter: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .userOrGuest, shape: joinShape, rateLimiter: limiter) { request in
            let via = (request.query.all("via") + request.query.all("server_name")).compactMap { try? ServerName($0) }
            let roomID = try await rooms.join(
                request.pathParameter(parameter), user: request.requester.userID, guest: request.requester.isGuest, via: via
            )
            return .json(["room_id": .string(roomID.rawValue)])
        }
    }

    static func leave(_ path: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .userOrGuest, shape: reasonShape, rateLimiter: limiter) { request in
            try await rooms.leave(try request.identifier("roomId"), user: request.requester.userID, guest: request.requester.isGuest)
            return .json([:])
        }
    }

    static func knock(_ path: String, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: joinShape, rateLimiter: limiter) { request in
            let via = (request.query.all("via") + request.query.all("server_name")).compactMap { try? ServerName($0) }
            let roomID = try await rooms.knock(
                request.pathParameter("roomIdOrAlias"), user: request.requester.userID, reason: request.body["reason"]?.stringValue, via: via
            )
            return .json(["room_id": .string(roomID.rawValue)])
        }
    }

    static func forget(_ path: String, _ rooms: RoomService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: reasonShape) { request in
            try await rooms.forget(try request.identifier("roomId"), user: request.requester.userID)
            return .json([:])
        }
    }

    /// Not for guests: Synapse serves these routes to guests only to refuse them, and the spec's guest access module
    /// does not list them.
    static func target(_ path: String, action: RoomService.MembershipAction, _ rooms: RoomService, _ limiter: RateLimiter) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: targetShape, rateLimiter: limiter) { request in
            guard let text = request.body["user_id"]?.stringValue, let target = try? UserID(text) else {
                throw MatrixError.invalidParameter("'user_id' must be a user ID")
            }
            try await rooms.changeMembership(
                action, of: target, in: try request.identifier("roomId"), by: request.requester.userID,
                reason: request.body["reason"]?.stringValue
            )
            return .json([:])
        }
    }
}
