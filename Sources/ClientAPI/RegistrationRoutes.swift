public import Accounts
public import MatrixHTTP
import HTTPTypes
public import MatrixTypes

/// `POST /register` and `GET /register/available`.
public enum RegistrationRoutes {
    static let registerShape = RequestShape(
        query: [QueryField("kind", .oneOf(["user", "guest"]), example: "user")],
        body: .jsonObject([
            BodyField("username", .string, required: false, example: "alice"),
            BodyField("password", .string, required: false, example: "correct horse battery staple"),
            BodyField("device_id", .string, required: false, example: "ALICEPHONE"),
            BodyField("initial_device_display_name", .string, required: false, example: "Alice's phone"),
            BodyField("inhibit_login", .boolean, required: false, example: false),
            BodyField("refresh_token", .boolean, required: false, example: false),
            BodyField("auth", .object, required: false, example: ["type": "m.login.dummy"]),
            // No token in the example: the bad-input suite's valid request registers a new user, not a guest upgrade.
            BodyField("guest_access_token", .string, required: false, example: .null),
        ])
    )

    static let availableShape = RequestShape(query: [QueryField("username", .string, required: true, example: "alice")])

    /// Synapse serves one availability check per address at a time and holds back any beyond one per two
    /// seconds, so the endpoint cannot enumerate accounts quickly; a bucket of ten (a client checking a name
    /// as it is typed) that refills one every two seconds bounds it the same way without holding requests open.
    static let availabilityLimit = (perSecond: 0.5, burstCount: 10.0)

    public static func routes(_ registration: RegistrationService, homeServer: ServerName) -> [Route] {
        let availabilityLimiter = RateLimiter(perSecond: availabilityLimit.perSecond, burstCount: availabilityLimit.burstCount)
        return ClientPath.expand("/register").map { register($0, registration, homeServer: homeServer) }
            + ClientPath.expand("/register/available").map { available($0, registration, limiter: availabilityLimiter) }
    }

    /// Registers an account through `m.login.dummy` auth, or a guest with `kind=guest`. An account registration
    /// carrying an access token is refused, as Synapse refuses it: a guest upgrading sends its token in the body.
    static func register(_ path: String, _ registration: RegistrationService, homeServer: ServerName) -> Route {
        Route(.post, path, resource: .client, role: .clientReader, shape: registerShape) { request in
            let body = request.body.objectValue ?? [:]
            let result = if request.query["kind"] == "guest" {
                try await registration.registerGuest(
                    initialDeviceDisplayName: body["initial_device_display_name"]?.stringValue, address: request.remoteAddress
                )
            } else if request.carriesAccessToken {
                throw MatrixError(.unknown, "An access token should not be provided on requests to /register", status: 400)
            } else {
                try await registration.register(UIASubmission(body: body, passwordField: "password"), address: request.remoteAddress)
            }
            return .json(.object(result.responseBody(homeServer: homeServer)))
        }
    }

    /// Whether a localpart could be registered now; the error says why not.
    static func available(_ path: String, _ registration: RegistrationService, limiter: RateLimiter) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, shape: availableShape, rateLimiter: limiter) { request in
            try await registration.checkAvailable(request.query["username"] ?? "")
            return .json(["available": true])
        }
    }
}
