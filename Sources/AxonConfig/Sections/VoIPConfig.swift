/// TURN servers handed to clients for calls (`turn_*`), with either a shared secret (coturn's
/// `use-auth-secret`) or a fixed username and password.
public struct VoIPConfig: Sendable, Hashable {
    public var turnURIs: [String] = []
    /// `turn_shared_secret`, or the trimmed contents of `turn_shared_secret_path`.
    public var turnSharedSecret: Secret?
    public var turnUsername: String?
    public var turnPassword: Secret?
    /// `turn_user_lifetime` in milliseconds: how long handed-out credentials stay valid.
    public var turnUserLifetime = 3_600_000
    /// `turn_allow_guests`: guests get TURN credentials too.
    public var turnAllowGuests = true

    public init() {}

    static let conflictingSecretError =
        "You have configured both `turn_shared_secret` and `turn_shared_secret_path`. These are mutually incompatible."
}

extension VoIPConfig {
    init(from root: MappingReader, files: SecretFileReader) {
        turnURIs = root.stringList("turn_uris") ?? []
        turnSharedSecret = files.secret(
            root, inline: "turn_shared_secret", path: "turn_shared_secret_path", conflict: Self.conflictingSecretError
        )
        turnUsername = root.string("turn_username")
        turnPassword = root.string("turn_password").map(Secret.init)
        turnUserLifetime = root.duration("turn_user_lifetime") ?? turnUserLifetime
        turnAllowGuests = root.bool("turn_allow_guests", default: true)
    }
}
