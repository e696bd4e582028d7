import Crypto
import Foundation
public import MatrixTypes

/// Hands out TURN credentials as Synapse's `VoipRestServlet` does. With a shared secret they are the TURN REST
/// API's time-limited ones, which coturn checks with `use-auth-secret` and the same `static-auth-secret`: the
/// username `<expiry>:<user ID>` (expiry in Unix seconds, now plus `turn_user_lifetime`, rounded down) and the
/// password the standard, padded base64 of HMAC-SHA1 over the username under the secret. With a static username
/// and password, those. Nothing (`nil`, answered `{}`) without URIs, credentials or a lifetime.
public struct TURNCredentialService: Sendable {
    public let settings: TURNSettings
    private let clock: @Sendable () -> Int64

    /// - Parameter clock: milliseconds since the Unix epoch; injectable so tests fix the expiry.
    public init(settings: TURNSettings, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.settings = settings
        self.clock = clock
    }

    public func credentials(for user: UserID) -> TURNCredentials? {
        let lifetime = settings.lifetimeMilliseconds
        guard !settings.uris.isEmpty, lifetime > 0, let authentication = settings.authentication else { return nil }
        let ttl = lifetime / 1000
        switch authentication {
        case .sharedSecret(let secret):
            // A lifetime too long to add to the clock saturates rather than traps.
            let (sum, overflow) = clock().addingReportingOverflow(lifetime)
            let expiry = (overflow ? Int64.max : sum) / 1000
            let username = "\(expiry):\(user.rawValue)"
            return TURNCredentials(username: username, password: Self.password(username: username, secret: secret), uris: settings.uris, ttl: ttl)
        case .staticCredentials(let username, let password):
            return TURNCredentials(username: username, password: password, uris: settings.uris, ttl: ttl)
        }
    }

    /// The TURN REST API password: standard base64, with padding, of HMAC-SHA1(secret, username).
    static func password(username: String, secret: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return Data(mac).base64EncodedString()
    }
}
