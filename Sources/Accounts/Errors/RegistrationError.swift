/// Why an account could not be created.
public enum RegistrationError: Error, Sendable, Equatable {
    /// `enable_registration` is off.
    case disabled
    /// `kind=guest` while `allow_guest_access` is off.
    case guestAccessDisabled
    /// `registration_requires_token` is on, and this server cannot issue registration tokens yet.
    case tokenRequired
    /// The localpart breaks the user ID grammar or length limit, or is reserved; the text says which.
    case invalidUsername(String)
    case userInUse
    /// `guest_access_token` is not the access token of the guest named by `username`.
    case guestCredentialsInvalid
    /// `guest_access_token` is no access token (or no longer one: an upgraded guest's tokens are revoked).
    case guestTokenUnknown
    /// The session already created an account with another name.
    case differentUserForSession
}
