/// Why a user-interactive-auth protected request did not go through.
public enum UIAError: Error, Sendable, Equatable {
    /// More stages are needed (or the last one failed): the spec's 401 with `flows` and `session`.
    case incomplete(UIAChallenge)
    case unknownSession(String)
    /// The session was started for another endpoint or method.
    case operationChanged
    /// The password stage authenticated someone other than the access token's user.
    case wrongUser
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
