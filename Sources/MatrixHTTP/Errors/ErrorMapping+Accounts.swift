import Accounts
import Logging
import MatrixTypes

/// The account services' errors, with Synapse's status codes and messages so clients written against
/// Synapse show the same text.
extension ErrorMapping {
    static func accountsError(_ error: any Error) -> MatrixError? {
        switch error {
        case let error as RegistrationError: registration(error)
        case let error as LoginError: login(error)
        case let error as PasswordError: password(error)
        case let error as DeviceError: device(error)
        case OpenIDError.otherUser: .forbidden("Cannot request tokens for other users.")
        case let error as UIAError: uia(error)
        case let error as SharedSecretError: sharedSecret(error)
        case let error as RateLimited: .limitExceeded(retryAfterMilliseconds: error.retryAfterMilliseconds)
        default: nil
        }
    }

    static func uiaChallenge(_ error: any Error) -> UIAChallenge? {
        if case UIAError.incomplete(let challenge) = error { return challenge }
        return nil
    }

    /// `{"session", "flows": [{"stages"}], "params", "completed"}`, with `errcode` and `error` when the stage
    /// just attempted failed.
    static func body(of challenge: UIAChallenge, logger: Logger) -> JSONValue {
        var body: JSONObject = [
            "session": .string(challenge.session),
            "flows": .array(challenge.flows.map { ["stages": .array($0.map(JSONValue.string))] }),
            "params": [:],
        ]
        if let completed = challenge.completed { body["completed"] = .array(completed.map(JSONValue.string)) }
        if let failure = challenge.failure {
            let error = matrixError(for: failure, logger: logger)
            body["errcode"] = .string(error.code.rawValue)
            body["error"] = .string(error.message)
        }
        return .object(body)
    }

    private static func registration(_ error: RegistrationError) -> MatrixError {
        switch error {
        case .disabled: .forbidden("Registration has been disabled")
        case .guestAccessDisabled: MatrixError(.guestAccessForbidden, "Guest access is disabled")
        case .tokenRequired: .forbidden("Registration requires a registration token, which this server cannot issue yet")
        case .invalidUsername(let reason): MatrixError(.invalidUsername, reason)
        case .userInUse: MatrixError(.userInUse, "User ID already taken.")
        case .guestCredentialsInvalid: .forbidden("Cannot register taken user ID without valid guest credentials for that user.")
        case .guestTokenUnknown: MatrixError(.unknownToken, "Invalid access token passed.")
        case .differentUserForSession: MatrixError(.unknown, "A different user ID has already been registered for this session", status: 400)
        }
    }

    private static func login(_ error: LoginError) -> MatrixError {
        switch error {
        case .invalidCredentials: .forbidden("Invalid username or password")
        case .deactivated: MatrixError(.userDeactivated, "This account has been deactivated")
        case .unknownLoginType(let type): MatrixError(.unknown, "Unknown login type \(type)", status: 400)
        case .invalidSubmission(let reason): .invalidParameter(reason)
        case .missingIdentifierType: MatrixError(.missingParameter, "'identifier' dict has no key 'type'")
        case .unknownIdentifierType: MatrixError(.unknown, "Unknown login identifier type", status: 400)
        case .invalidThirdPartyIdentifier: MatrixError(.unknown, "Invalid thirdparty identifier", status: 400)
        case .missingUser: MatrixError(.unknown, "User identifier is missing 'user' key", status: 400)
        }
    }

    private static func password(_ error: PasswordError) -> MatrixError {
        switch error {
        case .tooLong: .invalidParameter("Invalid password")
        case .missing: MatrixError(.missingParameter, "Missing params: password")
        case .containsNUL: .invalidParameter("Passwords may not contain NUL characters")
        }
    }

    private static func device(_ error: DeviceError) -> MatrixError {
        switch error {
        case .notFound: .notFound("No device found")
        case .displayNameTooLong: .invalidParameter("Device display name is too long (max 100)")
        case .deviceIDTooLong: .invalidParameter("device_id cannot be longer than 512 characters.")
        case .containsNUL(let field): .invalidParameter("\(field) may not contain NUL characters")
        case .notServerAdmin: .forbidden("You are not a server admin")
        case .notLocalUser: MatrixError(.unknown, "Can only whois a local user", status: 400)
        }
    }

    private static func uia(_ error: UIAError) -> MatrixError {
        switch error {
        case .incomplete: MatrixError(.unauthorized, "Authentication required", status: 401)
        case .unknownSession(let session): MatrixError(.unknown, "Unknown session ID: \(session)", status: 400)
        case .operationChanged: .forbidden("Requested operation has changed during the UI authentication session.")
        case .wrongUser: .forbidden("Invalid auth")
        case .parametersTooLarge(let limit): MatrixError(.tooLarge, "The request's parameters exceed the \(limit) bytes an auth session keeps")
        }
    }

    private static func sharedSecret(_ error: SharedSecretError) -> MatrixError {
        switch error {
        case .disabled: MatrixError(.unknown, "Shared secret registration is not enabled", status: 400)
        case .unrecognisedNonce: MatrixError(.unknown, "unrecognised nonce", status: 400)
        case .invalidUsername: MatrixError(.unknown, "Invalid username", status: 400)
        case .invalidPassword: MatrixError(.unknown, "Invalid password", status: 400)
        case .invalidUserType: MatrixError(.unknown, "Invalid user type", status: 400)
        case .incorrectMAC: MatrixError(.unknown, "HMAC incorrect", status: 403)
        }
    }
}
