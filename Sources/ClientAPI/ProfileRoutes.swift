import Accounts
import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import Profiles

/// `/profile/{userId}` and its `displayname` and `avatar_url` fields. Changes write member events into every
/// joined room, so they run on the main process.
public enum ProfileRoutes {
    static let fields = [("displayname", "Alice"), ("avatar_url", "mxc://axon.test/avatar")]

    /// `lookupLimiter` is `rc_profile`, per requester on every lookup (per address for anonymous ones);
    /// `messageLimiter` is `rc_message`, of which a change costs one action however many rooms it is written into,
    /// as in Synapse. Lookups need no token unless `requireAuthentication` (`require_auth_for_profile_requests`).
    public static func routes(
        _ profiles: ProfileService, lookupLimiter: RateLimiter, messageLimiter: RateLimiter, requireAuthentication: Bool = false
    ) -> [Route] {
        ClientPath.expand("/profile/{userId}").map { lookUp($0, field: nil, profiles, lookupLimiter, requireAuthentication) }
            + fields.flatMap { field, example in
                ClientPath.expand("/profile/{userId}/\(field)").flatMap {
                    [
                        lookUp($0, field: field, profiles, lookupLimiter, requireAuthentication),
                        set($0, field: field, example: example, profiles, messageLimiter),
                    ]
                }
            }
    }

    /// The whole profile when `field` is `nil`, else that one field (404 when unset).
    static func lookUp(
        _ path: String, field: String?, _ profiles: ProfileService, _ limiter: RateLimiter, _ requireAuthentication: Bool
    ) -> Route {
        let answer: @Sendable (MatrixRequest, UserID?) async throws -> MatrixResponse = { request, requester in
            let profile = json(try await profiles.lookUp(try request.identifier("userId"), by: requester))
            guard let field else { return .json(profile) }
            guard let value = profile[field] else { throw MatrixError.notFound("The profile has no \(field)") }
            return .json([field: value])
        }
        guard requireAuthentication else {
            return Route(.get, path, resource: .client, role: .clientReader, rateLimiter: limiter, optionalTokenHandler: { request, requester in
                try await answer(request, requester?.userID)
            })
        }
        return Route(.get, path, resource: .client, role: .clientReader, auth: .user, rateLimiter: limiter) { request in
            try await answer(request.request, request.requester.userID)
        }
    }

    /// Guests may set their display name, nothing else (as Synapse and the spec's guest access module).
    static func set(_ path: String, field: String, example: String, _ profiles: ProfileService, _ limiter: RateLimiter) -> Route {
        let shape = RequestShape(body: .jsonObject([BodyField(field, .string, required: false, example: .string(example))]))
        let auth: TokenRequirement = field == "displayname" ? .userOrGuest : .user
        return Route(.put, path, resource: .client, role: .main, auth: auth, shape: shape, rateLimiter: limiter) { request in
            let user: UserID = try request.identifier("userId")
            let value = request.body[field]?.stringValue
            if field == "displayname" {
                try await profiles.setDisplayName(value, of: user, requester: request.requester.userID, guest: request.requester.isGuest)
            } else {
                try await profiles.setAvatarURL(value, of: user, requester: request.requester.userID)
            }
            return .json([:])
        }
    }

    static func json(_ profile: ProfileService.Profile) -> JSONValue {
        var object: JSONObject = [:]
        if let name = profile.displayName { object["displayname"] = .string(name) }
        if let avatar = profile.avatarURL { object["avatar_url"] = .string(avatar) }
        return .object(object)
    }
}
