public import AccountData
import Accounts
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// Global and per-room account data, and room tags (stored as the room's `m.tag` account data).
public enum AccountDataRoutes {
    static let objectShape = RequestShape(body: .jsonObject([]))
    static let tagShape = RequestShape(body: .jsonObject([BodyField("order", .number, required: false, example: 0.5)]))

    /// `writeLimiter` bounds each user's writes; Synapse has no limit here, see the README for the bound chosen.
    public static func routes(_ data: AccountDataService, writeLimiter: RateLimiter) -> [Route] {
        ClientPath.expand("/user/{userId}/account_data/{type}").flatMap {
            [get($0, room: false, data), put($0, room: false, data, writeLimiter)]
        }
            + ClientPath.expand("/user/{userId}/rooms/{roomId}/account_data/{type}").flatMap {
                [get($0, room: true, data), put($0, room: true, data, writeLimiter)]
            }
            + ClientPath.expand("/user/{userId}/rooms/{roomId}/tags").map { tags($0, data) }
            + ClientPath.expand("/user/{userId}/rooms/{roomId}/tags/{tag}").flatMap {
                [putTag($0, data, writeLimiter), deleteTag($0, data, writeLimiter)]
            }
    }

    static func get(_ path: String, room: Bool, _ data: AccountDataService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            let (user, roomID) = try owner(request, room: room)
            return .json(try await data.get(type: request.pathParameter("type"), user: user, roomID: roomID))
        }
    }

    static func put(_ path: String, room: Bool, _ data: AccountDataService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: objectShape, rateLimiter: limiter) { request in
            let (user, roomID) = try owner(request, room: room)
            try await data.put(request.body, type: request.pathParameter("type"), user: user, roomID: roomID)
            return .json([:])
        }
    }

    static func tags(_ path: String, _ data: AccountDataService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            let user = try owner(request)
            return .json(["tags": try await data.tags(of: user, in: try request.identifier("roomId"))])
        }
    }

    static func putTag(_ path: String, _ data: AccountDataService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: tagShape, rateLimiter: limiter) { request in
            let user = try owner(request)
            try await data.setTag(request.pathParameter("tag"), to: request.body, user: user, in: try request.identifier("roomId"))
            return .json([:])
        }
    }

    static func deleteTag(_ path: String, _ data: AccountDataService, _ limiter: RateLimiter) -> Route {
        Route(.delete, path, resource: .client, role: .main, auth: .user, rateLimiter: limiter) { request in
            let user = try owner(request)
            try await data.setTag(request.pathParameter("tag"), to: nil, user: user, in: try request.identifier("roomId"))
            return .json([:])
        }
    }

    /// The path's user, who must be the requester.
    private static func owner(_ request: AuthenticatedRequest) throws -> UserID {
        let user: UserID = try request.identifier("userId")
        guard user == request.requester.userID else { throw MatrixError.forbidden("Cannot access account data for other users.") }
        return user
    }

    /// The path's user, who must be the requester, and room when the route has one.
    private static func owner(_ request: AuthenticatedRequest, room: Bool) throws -> (UserID, RoomID?) {
        (try owner(request), room ? try request.identifier("roomId") : nil)
    }
}
