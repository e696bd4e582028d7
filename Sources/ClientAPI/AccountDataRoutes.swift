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
            let (user, roomID) = try owner(request, room: true)
            let tags = (try? await data.get(type: "m.tag", user: user, roomID: roomID))?["tags"] ?? [:]
            return .json(["tags": tags])
        }
    }

    static func putTag(_ path: String, _ data: AccountDataService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: tagShape, rateLimiter: limiter) { request in
            try await editTags(request, data) { tags, tag in tags[tag] = request.body }
        }
    }

    static func deleteTag(_ path: String, _ data: AccountDataService, _ limiter: RateLimiter) -> Route {
        Route(.delete, path, resource: .client, role: .main, auth: .user, rateLimiter: limiter) { request in
            try await editTags(request, data) { tags, tag in tags[tag] = nil }
        }
    }

    private static func editTags(
        _ request: AuthenticatedRequest, _ data: AccountDataService, _ change: (inout JSONObject, String) -> Void
    ) async throws -> MatrixResponse {
        let (user, roomID) = try owner(request, room: true)
        var tags = (try? await data.get(type: "m.tag", user: user, roomID: roomID))?["tags"]?.objectValue ?? [:]
        change(&tags, request.pathParameter("tag"))
        try await data.put(["tags": .object(tags)], type: "m.tag", user: user, roomID: roomID)
        return .json([:])
    }

    /// The path's user, who must be the requester, and room when the route has one.
    private static func owner(_ request: AuthenticatedRequest, room: Bool) throws -> (UserID, RoomID?) {
        let user: UserID = try request.identifier("userId")
        guard user == request.requester.userID else { throw MatrixError.forbidden("Cannot access account data for other users.") }
        return (user, room ? try request.identifier("roomId") : nil)
    }
}
