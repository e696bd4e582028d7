import MatrixTypes
import Storage

/// `POST /register` (with `m.login.dummy` user-interactive auth), guest registration and
/// `GET /register/available`.
public struct RegistrationService: Sendable {
    let settings: AccountSettings
    let creator: AccountCreator
    let uia: UserInteractiveAuth
    let issuer: SessionIssuer
    let hasher: PasswordHasher
    let limiter: any ActionLimiter
    let tokens: AccessTokenCache

    static let flows = [[UIAStage.dummy]]
    static let maximumUsernameLength = 512

    /// Registers a user account. The first request of a session usually answers 401 with the flows; the final
    /// one creates the account. Parameters given on any request of the session are remembered. With
    /// `guest_access_token` and the guest's own `username`, the guest's account becomes a full one instead.
    ///
    /// Every request counts against `rc_registration`, not only the ones that create an account: each may
    /// start a session row, and none needs a token.
    public func register(_ submission: UIASubmission, address: String) async throws -> RegistrationResult {
        try limiter.enforce(address, record: true)
        try checkOpen()
        let password = try PasswordError.check(submission.password)
        let existing = try await uia.existingSession(for: submission)
        if let username = submission.params["username"]?.stringValue {
            try await checkUsername(
                username.lowercased(), assigned: existing?.registeredUserID, guestToken: submission.params["guest_access_token"]?.stringValue
            )
        }
        let completion = try await uia.authenticate(.register, submission, continuing: existing, requester: nil, flows: Self.flows)
        try SessionIssuer.validate(
            deviceID: completion.params["device_id"]?.stringValue, displayName: completion.params["initial_device_display_name"]?.stringValue
        )
        let userID: UserID
        if let registered = completion.registeredUserID {
            userID = try UserID(registered)
        } else {
            let hash = try await password.asyncMap(hasher.hash) ?? completion.storedPasswordHash
            guard let hash else { throw PasswordError.missing }
            let localpart = completion.params["username"]?.stringValue?.lowercased()
            // As in Synapse, a guest token without a username registers a new account and leaves the guest be.
            if let localpart, let guestToken = completion.params["guest_access_token"]?.stringValue {
                userID = try await guests.upgrade(localpart, guestToken: guestToken, passwordHash: hash)
            } else {
                userID = try await creator.create(.init(localpart: localpart, passwordHash: hash))
            }
            try await uia.recordRegistration(of: userID.rawValue, in: completion.sessionID)
        }
        return try await RegistrationResult(userID: userID, session: login(userID, completion.params, address: address))
    }

    /// `kind=guest`: an account with a generated numeric name and no password.
    public func registerGuest(initialDeviceDisplayName: String?, address: String) async throws -> RegistrationResult {
        try limiter.enforce(address, record: true)
        guard settings.guestAccessAllowed else { throw RegistrationError.guestAccessDisabled }
        try SessionIssuer.validate(deviceID: nil, displayName: initialDeviceDisplayName)
        let userID = try await creator.create(.init(isGuest: true))
        let session = try await issuer.issue(for: userID, deviceID: nil, displayName: initialDeviceDisplayName, address: address)
        return RegistrationResult(userID: userID, session: session)
    }

    /// `GET /register/available`: throws the error registering `username` would give.
    public func checkAvailable(_ username: String) async throws {
        try checkOpen()
        try await creator.checkAvailable(username)
    }

    private var guests: GuestUpgrade { GuestUpgrade(database: creator.database, serverName: settings.serverName, tokens: tokens) }

    private func checkOpen() throws(RegistrationError) {
        guard settings.registrationEnabled else { throw .disabled }
        guard !settings.registrationRequiresToken else { throw .tokenRequired }
    }

    /// Fails early, before auth, so clients can ask for another name at once.
    private func checkUsername(_ localpart: String, assigned: String?, guestToken: String?) async throws {
        guard localpart.unicodeScalars.count <= Self.maximumUsernameLength else { throw RegistrationError.invalidUsername("Invalid username") }
        if let assigned {
            let userID = try UsernamePolicy.check(localpart, serverName: settings.serverName, allowingGuestNames: guestToken != nil)
            guard userID.rawValue == assigned else { throw RegistrationError.differentUserForSession }
            return
        }
        if let guestToken {
            _ = try await guests.check(localpart, guestToken: guestToken)
            return
        }
        try await creator.checkAvailable(localpart)
    }

    private func login(_ userID: UserID, _ params: JSONObject, address: String) async throws -> IssuedSession? {
        guard params["inhibit_login"]?.boolValue != true else { return nil }
        return try await issuer.issue(
            for: userID, deviceID: params["device_id"]?.stringValue,
            displayName: params["initial_device_display_name"]?.stringValue, address: address
        )
    }
}
