/// Why a user-interactive-auth protected request did not go through.
public enum UIAError: Error, Sendable, Equatable {
    /// More stages are needed (or the last one failed): the spec's 401 with `flows` and `session`.
    case incomplete(UIAChallenge)
    case unknownSession(String)
    /// The session was started for another endpoint or method.
    case operationChanged
    /// The session was started by someone other than the access token's user.
    case wrongUser
    /// The request's parameters are larger than a session keeps.
    case parametersTooLarge(limit: Int)
}

/// The body of a 401 user-interactive-auth response.
public struct UIAChallenge: Sendable, Equatable {
    public let session: String
    public let flows: [[String]]
    /// Stages already done; omitted from the first response of a session, as Synapse does.
    public let completed: [String]?
    /// Why the stage just attempted failed, if it did.
    public let failure: LoginError?
}
