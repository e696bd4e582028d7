/// Why a request to an authenticated route was refused before its handler ran.
public enum AuthenticationError: Error, Sendable, Equatable {
    /// No token, or one sent in a way the spec does not allow; the text says which.
    case missingToken(String)
    /// The token is not (or no longer) valid. Axon's tokens do not expire, so this is never a soft logout.
    case unknownToken
    case guestAccessForbidden
}
