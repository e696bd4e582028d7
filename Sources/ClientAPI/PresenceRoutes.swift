import Accounts
import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import Presence

/// `GET`/`PUT /presence/{userId}/status`, for registered users only (Synapse refuses guests).
public enum PresenceRoutes {
    static let statusShape = RequestShape(
        body: .jsonObject([
            BodyField("presence", .string, required: true, example: "online"),
            BodyField("status_msg", .string, required: false, example: "Busy"),
        ])
    )

    /// `limiter`: `rc_presence.per_user`.
    public static func routes(_ presence: PresenceService, limiter: RateLimiter) -> [Route] {
        ClientPath.expand("/presence/{userId}/status").flatMap { [get($0, presence), put($0, presence, limiter)] }
    }

    static func get(_ path: String, _ presence: PresenceService) -> Route {
        Route(.get, path, resource: .client, role: .main, auth: .user) { request in
            .json(.object(try await presence.status(of: try request.identifier("userId"), viewer: request.requester.userID)))
        }
    }

    static func put(_ path: String, _ presence: PresenceService, _ limiter: RateLimiter) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: statusShape, rateLimiter: limiter) { request in
            try await presence.set(
                request.body["presence"]?.stringValue ?? "", statusMessage: request.body["status_msg"]?.stringValue,
                user: try request.identifier("userId"), requester: request.requester.userID
            )
            return .json([:])
        }
    }
}
