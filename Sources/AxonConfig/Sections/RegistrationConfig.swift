/// Who may create accounts and how: open registration, tokens, guests, the admin shared secret and the
/// password-hashing cost.
public struct RegistrationConfig: Sendable, Hashable {
    /// `enable_registration` (or the inverse of the legacy `disable_registration`).
    public var enableRegistration = false
    /// `enable_registration_without_verification`: the admin accepts open registration with no checks.
    public var enableRegistrationWithoutVerification = false
    /// `registration_requires_token`: registration needs a token created through the admin API.
    public var registrationRequiresToken = false
    /// `registration_shared_secret`, or the trimmed contents of `registration_shared_secret_path`; enables
    /// `/_synapse/admin/v1/register` when set.
    public var registrationSharedSecret: Secret?
    /// `allow_guest_access`: guests may register and read peekable rooms.
    public var allowGuestAccess = false
    /// `bcrypt_rounds`: the password-hash cost (4–31; tests use 4 to stay fast).
    public var bcryptRounds = 12
    /// `auto_join_rooms`: aliases new users join on registration.
    public var autoJoinRooms: [String] = []

    public init() {}

    /// Synapse's refusal, word for word, so admins find the same fix documented for both servers.
    public static let openRegistrationError =
        "You have enabled open registration without any verification. This is a known vector for spam and abuse. "
        + "If you would like to allow public registration, please consider adding email, captcha, or token-based "
        + "verification. Otherwise this check can be removed by setting the `enable_registration_without_verification` "
        + "config option to `true`."

    static let conflictingSharedSecretError =
        "You have configured both `registration_shared_secret` and `registration_shared_secret_path`. These are mutually incompatible."
}

extension RegistrationConfig {
    init(from root: MappingReader, files: SecretFileReader) {
        enableRegistration = root.bool("enable_registration", default: false)
        if let disable = root.value("disable_registration")?.bool() { enableRegistration = !disable }
        enableRegistrationWithoutVerification = root.bool("enable_registration_without_verification", default: false)
        registrationRequiresToken = root.bool("registration_requires_token", default: false)
        allowGuestAccess = root.bool("allow_guest_access", default: false)
        bcryptRounds = root.value("bcrypt_rounds")?.int(in: 4...31) ?? bcryptRounds
        autoJoinRooms = root.stringList("auto_join_rooms") ?? []
        registrationSharedSecret = files.secret(
            root, inline: "registration_shared_secret", path: "registration_shared_secret_path",
            conflict: Self.conflictingSharedSecretError
        )
        // Axon enforces only the token requirement; email and captcha verification do not exist yet, so they
        // do not count as verification here even though Synapse's check accepts them.
        if enableRegistration, !enableRegistrationWithoutVerification, !registrationRequiresToken {
            root.error("enable_registration", Self.openRegistrationError)
        }
    }
}
