public import Accounts
public import MatrixHTTP
import HTTPTypes
public import MatrixTypes

/// `GET /login` (the login types offered) and `POST /login`.
public enum LoginRoutes {
    static let loginShape = RequestShape(
        body: .jsonObject([
            BodyField("type", .string, required: true, example: "m.login.password"),
            BodyField("identifier", .object, required: false, example: ["type": "m.id.user", "user": "alice"]),
            BodyField("user", .string, required: false, example: "alice"),
            BodyField("password", .string, required: false, example: "correct horse battery staple"),
            BodyField("device_id", .string, required: false, example: "ALICEPHONE"),
            BodyField("initial_device_display_name", .string, required: false, example: "Alice's phone"),
            BodyField("refresh_token", .boolean, required: false, example: false),
        ])
    )

    /// - Parameters:
    ///   - addressLimiter: `rc_login.address`, applied to every login attempt from one client address.
    ///   - wellKnown: the client discovery object added to successful logins, when `public_baseurl` is set.
    public static func routes(_ login: LoginService, addressLimiter: RateLimiter, wellKnown: JSONValue?) -> [Route] {
        ClientPath.expand("/login").flatMap { path in
            [flows(path), logIn(path, login, addressLimiter: addressLimiter, wellKnown: wellKnown)]
        }
    }

    static func flows(_ path: String) -> Route {
        Route(.get, path, resource: .client, role: .clientReader) { _ in
            .json(["flows": .array(LoginService.supportedTypes.map { ["type": .string($0)] })])
        }
    }

    /// Password login; creates a device unless `device_id` names one of the user's devices.
    static func logIn(_ path: String, _ login: LoginService, addressLimiter: RateLimiter, wellKnown: JSONValue?) -> Route {
        Route(.post, path, resource: .client, role: .clientReader, shape: loginShape, rateLimiter: addressLimiter) { request in
            let session = try await login.logIn(request.body.objectValue ?? [:], address: request.remoteAddress)
            var body = session.responseBody
            body["home_server"] = .string(session.userID.serverName.rawValue)
            if let wellKnown { body["well_known"] = wellKnown }
            return .json(.object(body))
        }
    }
}
