/// What `/voip/turnServer` hands out: the TURN servers' URIs and how clients authenticate to them. Built from the
/// `turn_*` keys; the shared secret and static password never appear when the settings are printed or dumped.
public struct TURNSettings: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How clients prove themselves to the TURN servers.
    public enum Authentication: Sendable, Equatable {
        /// The TURN REST API (coturn's `use-auth-secret`): a username of expiry and user ID, the password its
        /// HMAC-SHA1 under this secret.
        case sharedSecret(String)
        /// The same username and password for everyone.
        case staticCredentials(username: String, password: String)
    }

    /// `turn_uris`.
    public var uris: [String]
    /// `nil` when neither a shared secret nor a static username and password are set.
    public var authentication: Authentication?
    /// `turn_user_lifetime` in milliseconds: how long credentials stay valid, and the `ttl` clients are told.
    public var lifetimeMilliseconds: Int64
    /// `turn_allow_guests`.
    public var guestsAllowed: Bool

    /// Chooses the authentication as Synapse does: a non-empty shared secret wins over a static username and
    /// password, each of which must be non-empty too.
    public init(uris: [String], sharedSecret: String?, username: String?, password: String?, lifetimeMilliseconds: Int64, guestsAllowed: Bool) {
        self.uris = uris
        if let sharedSecret, !sharedSecret.isEmpty {
            authentication = .sharedSecret(sharedSecret)
        } else if let username, !username.isEmpty, let password, !password.isEmpty {
            authentication = .staticCredentials(username: username, password: password)
        } else {
            authentication = nil
        }
        self.lifetimeMilliseconds = lifetimeMilliseconds
        self.guestsAllowed = guestsAllowed
    }

    /// TURN not configured: every user gets `{}`.
    public static let none = TURNSettings(uris: [], sharedSecret: nil, username: nil, password: nil, lifetimeMilliseconds: 3_600_000, guestsAllowed: true)

    public var description: String {
        let kind = switch authentication {
        case .sharedSecret: "shared secret <redacted>"
        case .staticCredentials(let username, _): "username \(username), password <redacted>"
        case nil: "no credentials"
        }
        return "TURNSettings(uris: \(uris), \(kind), lifetime: \(lifetimeMilliseconds) ms, guests allowed: \(guestsAllowed))"
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["uris": uris, "lifetimeMilliseconds": lifetimeMilliseconds, "guestsAllowed": guestsAllowed], displayStyle: .struct)
    }
}
