public import Accounts
public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `/account/whoami`, `/account/password`, `/account/deactivate` and `/account/3pid`.
public enum AccountRoutes {
    static let passwordShape = RequestShape(
        body: .jsonObject([
            BodyField("new_password", .string, required: false, example: "new correct horse battery staple"),
            BodyField("logout_devices", .boolean, required: false, example: true),
            BodyField("auth", .object, required: false, example: ["type": "m.login.password"]),
        ])
    )

    static let deactivateShape = RequestShape(
        body: .jsonObject([
            BodyField("auth", .object, required: false, example: ["type": "m.login.password"]),
            BodyField("id_server", .string, required: false, example: "id.example.org"),
            BodyField("erase", .boolean, required: false, example: false),
        ])
    )

    public static func routes(_ account: AccountService) -> [Route] {
        ClientPath.expand("/account/whoami").map(whoami)
            + ClientPath.expand("/account/password").map { changePassword($0, account) }
            + ClientPath.expand("/account/deactivate").map { deactivate($0, account) }
            + ClientPath.expand("/account/3pid").map(thirdPartyIdentifiers)
    }

    /// Who the access token belongs to; everything needed is already on the requester.
    static func whoami(_ path: String) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest) { request in
            .json([
                "user_id": .string(request.requester.userID.rawValue),
                "device_id": .string(request.requester.deviceID),
                "is_guest": .bool(request.requester.isGuest),
            ])
        }
    }

    /// Needs the current password through user-interactive auth; `logout_devices` (default true) revokes
    /// every other session.
    static func changePassword(_ path: String, _ account: AccountService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: passwordShape) { request in
            try await account.changePassword(
                UIASubmission(body: request.body.objectValue ?? [:], passwordField: "new_password"), requester: request.requester
            )
            return .json([:])
        }
    }

    /// Needs the password through user-interactive auth. No identity server ever held a binding, so
    /// unbinding trivially succeeded. On the main process: deleting the devices is a device-list change, which it writes.
    static func deactivate(_ path: String, _ account: AccountService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user, shape: deactivateShape) { request in
            try await account.deactivate(UIASubmission(body: request.body.objectValue ?? [:]), requester: request.requester)
            return .json(["id_server_unbind_result": "success"])
        }
    }

    /// Axon binds no third-party identifiers (`m.3pid_changes` is off), so the list is always empty.
    static func thirdPartyIdentifiers(_ path: String) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { _ in
            .json(["threepids": []])
        }
    }
}
