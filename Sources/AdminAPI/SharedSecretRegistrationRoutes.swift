public import Accounts
import ClientAPI
import HTTPTypes
public import MatrixHTTP
public import MatrixTypes

/// `GET`/`POST /_synapse/admin/v1/register`: Synapse's shared-secret registration, which
/// `register_new_matrix_user` (Synapse's or `axon register-user`) uses to create accounts, admins included.
public enum SharedSecretRegistrationRoutes {
    static let path = "/_synapse/admin/v1/register"

    static let registerShape = RequestShape(
        body: .jsonObject([
            BodyField("nonce", .string, required: true, example: "0123456789abcdef"),
            BodyField("username", .string, required: true, example: "admin"),
            BodyField("password", .string, required: true, example: "correct horse battery staple"),
            BodyField("mac", .string, required: true, example: "0123456789abcdef0123456789abcdef01234567"),
            BodyField("admin", .boolean, required: false, example: true),
            BodyField("user_type", .string, required: false, example: "bot"),
            BodyField("device_id", .string, required: false, example: "ADMINCLI"),
            BodyField("initial_device_display_name", .string, required: false, example: "register_new_matrix_user"),
            BodyField("inhibit_login", .boolean, required: false, example: false),
            BodyField("refresh_token", .boolean, required: false, example: false),
        ])
    )

    public static func routes(_ registration: SharedSecretRegistration, homeServer: ServerName) -> [Route] {
        [nonce(registration), register(registration, homeServer: homeServer)]
    }

    /// A nonce valid for 60 seconds, once, on any process sharing the database.
    static func nonce(_ registration: SharedSecretRegistration) -> Route {
        Route(.get, path, resource: .client, role: .main) { _ in
            .json(["nonce": .string(try await registration.newNonce())])
        }
    }

    /// Creates the account if the MAC proves knowledge of `registration_shared_secret`.
    static func register(_ registration: SharedSecretRegistration, homeServer: ServerName) -> Route {
        Route(.post, path, resource: .client, role: .main, shape: registerShape) { request in
            let body = request.body
            let result = try await registration.register(
                SharedSecretRequest(
                    nonce: body["nonce"]?.stringValue ?? "", username: body["username"]?.stringValue ?? "",
                    password: body["password"]?.stringValue ?? "", mac: body["mac"]?.stringValue ?? "",
                    admin: body["admin"]?.boolValue ?? false, userType: body["user_type"]?.stringValue,
                    deviceID: body["device_id"]?.stringValue, initialDeviceDisplayName: body["initial_device_display_name"]?.stringValue,
                    inhibitLogin: body["inhibit_login"]?.boolValue ?? false
                )
            )
            return .json(.object(result.responseBody(homeServer: homeServer)))
        }
    }
}
