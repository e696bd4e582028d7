public import Accounts
public import MatrixTypes

/// The body shared by `/register`, `/login` and the admin registration API, so every way of getting an
/// account answers alike.
extension RegistrationResult {
    /// `user_id` and `home_server`, plus `access_token` and `device_id` unless login was inhibited.
    public func responseBody(homeServer: ServerName) -> JSONObject {
        var body: JSONObject = ["user_id": .string(userID.rawValue), "home_server": .string(homeServer.rawValue)]
        if let session { body.merge(session.responseBody) { $1 } }
        return body
    }
}

extension IssuedSession {
    public var responseBody: JSONObject {
        ["user_id": .string(userID.rawValue), "access_token": .string(accessToken), "device_id": .string(deviceID)]
    }
}
