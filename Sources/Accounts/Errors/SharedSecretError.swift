/// Why `POST /_synapse/admin/v1/register` refused a request; the messages are Synapse's.
public enum SharedSecretError: Error, Sendable, Equatable {
    /// No `registration_shared_secret` is configured.
    case disabled
    /// Unknown, expired or already used.
    case unrecognisedNonce
    case invalidUsername
    case invalidPassword
    case invalidUserType
    case incorrectMAC
}
