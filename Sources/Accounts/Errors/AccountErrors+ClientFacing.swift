public import MatrixTypes

// The account services' errors, with Synapse's status codes and messages so clients written against Synapse show
// the same text.

extension RegistrationError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
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
}

extension LoginError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
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
}

extension PasswordError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .tooLong: .invalidParameter("Invalid password")
        case .missing: MatrixError(.missingParameter, "Missing params: password")
        case .containsNUL: .invalidParameter("Passwords may not contain NUL characters")
        }
    }
}

extension DeviceError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .notFound: .notFound("No device found")
        case .displayNameTooLong: .invalidParameter("Device display name is too long (max 100)")
        case .deviceIDTooLong: .invalidParameter("device_id cannot be longer than 512 characters.")
        case .containsNUL(let field): .invalidParameter("\(field) may not contain NUL characters")
        case .notServerAdmin: .forbidden("You are not a server admin")
        case .notLocalUser: MatrixError(.unknown, "Can only whois a local user", status: 400)
        }
    }
}

extension UIAError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .incomplete: MatrixError(.unauthorized, "Authentication required", status: 401)
        case .unknownSession(let session): MatrixError(.unknown, "Unknown session ID: \(session)", status: 400)
        case .operationChanged: .forbidden("Requested operation has changed during the UI authentication session.")
        case .wrongUser: .forbidden("Invalid auth")
        case .parametersTooLarge(let limit): MatrixError(.tooLarge, "The request's parameters exceed the \(limit) bytes an auth session keeps")
        }
    }

    /// A challenge answers `{"session", "flows": [{"stages"}], "params", "completed"}`, with `errcode` and `error`
    /// when the stage just attempted failed.
    public var responseBody: JSONValue? {
        guard case .incomplete(let challenge) = self else { return nil }
        var body: JSONObject = [
            "session": .string(challenge.session),
            "flows": .array(challenge.flows.map { ["stages": .array($0.map(JSONValue.string))] }),
            "params": [:],
        ]
        if let completed = challenge.completed { body["completed"] = .array(completed.map(JSONValue.string)) }
        if let failure = challenge.failure?.clientError {
            body["errcode"] = .string(failure.code.rawValue)
            body["error"] = .string(failure.message)
        }
        return .object(body)
    }
}

extension SharedSecretError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .disabled: MatrixError(.unknown, "Shared secret registration is not enabled", status: 400)
        case .unrecognisedNonce: MatrixError(.unknown, "unrecognised nonce", status: 400)
        case .invalidUsername: MatrixError(.unknown, "Invalid username", status: 400)
        case .invalidPassword: MatrixError(.unknown, "Invalid password", status: 400)
        case .invalidUserType: MatrixError(.unknown, "Invalid user type", status: 400)
        case .incorrectMAC: MatrixError(.unknown, "HMAC incorrect", status: 403)
        }
    }
}

extension OpenIDError: ClientFacingError {
    public var clientError: MatrixError {
        switch self {
        case .otherUser: .forbidden("Cannot request tokens for other users.")
        }
    }
}

extension RateLimited: ClientFacingError {
    public var clientError: MatrixError { .limitExceeded(retryAfterMilliseconds: retryAfterMilliseconds) }
}
