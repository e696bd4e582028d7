public import Accounts
public import MatrixHTTP
import HTTPTypes
import MatrixTypes

/// `POST /logout` and `POST /logout/all`.
public enum LogoutRoutes {
    public static func routes(_ logout: LogoutService) -> [Route] {
        ClientPath.expand("/logout").map { logOut($0, logout) } + ClientPath.expand("/logout/all").map { logOutEverywhere($0, logout) }
    }

    /// Revokes this token by deleting its device.
    static func logOut(_ path: String, _ logout: LogoutService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user) { request in
            try await logout.logOut(request.requester)
            return .json([:])
        }
    }

    /// Deletes every device and token of the account.
    static func logOutEverywhere(_ path: String, _ logout: LogoutService) -> Route {
        Route(.post, path, resource: .client, role: .main, auth: .user) { request in
            try await logout.logOutEverywhere(request.requester)
            return .json([:])
        }
    }
}
