/// Why an OpenID token was not issued.
public enum OpenIDError: Error, Sendable, Equatable {
    /// Tokens prove the requester's own identity; nobody may ask for one naming another user.
    case otherUser
}
