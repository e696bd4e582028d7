import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import VoIP

/// `GET /voip/turnServer`: credentials for the TURN servers, or `{}` when none are configured. Client readers serve
/// it, as Synapse's generic workers do. Guests may call it unless `turn_allow_guests` is false, when they get
/// `403 M_GUEST_ACCESS_FORBIDDEN`, as Synapse's `get_user_by_req(allow_guest=turn_allow_guests)` answers.
public enum VoIPRoutes {
    /// - Parameter limiter: per user (`rc_voip`); Synapse does not limit this endpoint, the spec says it is limited.
    public static func routes(_ turn: TURNCredentialService, limiter: RateLimiter) -> [Route] {
        let auth: TokenRequirement = turn.settings.guestsAllowed ? .userOrGuest : .user
        return ClientPath.expand("/voip/turnServer").map { path in
            Route(.get, path, resource: .client, role: .clientReader, auth: auth, rateLimiter: limiter) { request in
                .json(json(turn.credentials(for: request.requester.userID)))
            }
        }
    }

    static func json(_ credentials: TURNCredentials?) -> JSONValue {
        guard let credentials else { return [:] }
        return [
            "username": .string(credentials.username), "password": .string(credentials.password),
            "ttl": .integer(credentials.ttl), "uris": .array(credentials.uris.map(JSONValue.string)),
        ]
    }
}
