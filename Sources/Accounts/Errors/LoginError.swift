/// Why a password login (or a password stage of user-interactive auth) failed.
public enum LoginError: Error, Sendable, Equatable {
    /// Unknown user or wrong password; the two are never told apart.
    case invalidCredentials
    case deactivated
    case unknownLoginType(String)
    /// The submission's fields are missing or malformed; the text says which.
    case invalidSubmission(String)
    case missingIdentifierType
    case unknownIdentifierType
    case invalidThirdPartyIdentifier
    case missingUser
}
