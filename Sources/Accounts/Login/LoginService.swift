public import MatrixTypes
import Storage

/// `POST /login` with `m.login.password`, and the login types it offers.
public struct LoginService: Sendable {
    let passwords: PasswordAuthenticator
    let issuer: SessionIssuer
    let accountLimiter: any ActionLimiter
    let failureLimiter: any ActionLimiter

    static let passwordType = "m.login.password"
    /// What `GET /login` offers.
    public static let supportedTypes = [passwordType]

    /// Checks the password and opens a session on a new (or the named) device.
    ///
    /// Rate limits follow Synapse: too many failed attempts for an account block further attempts before the
    /// password is checked; successful logins are limited per account.
    public func logIn(_ submission: JSONObject, address: String) async throws -> IssuedSession {
        let type = submission["type"]?.stringValue ?? ""
        guard type == Self.passwordType else { throw LoginError.unknownLoginType(type) }
        let credentials = try PasswordCredentials(submission)
        let failureKey = switch credentials.identifier {
        case .user(let user): passwords.qualifiedUserID(user)
        case .thirdParty(let medium, let address): "\(medium):\(address)"
        }
        try failureLimiter.enforce(failureKey, record: false)
        let user: UserRow
        do {
            user = try await passwords.authenticate(credentials)
        } catch LoginError.invalidCredentials {
            _ = failureLimiter.limit(failureKey, record: true)
            throw LoginError.invalidCredentials
        }
        try accountLimiter.enforce(user.userID, record: true)
        guard !user.deactivated else { throw LoginError.deactivated }
        return try await issuer.issue(
            for: try UserID(user.userID), deviceID: submission["device_id"]?.stringValue,
            displayName: submission["initial_device_display_name"]?.stringValue, address: address
        )
    }
}
