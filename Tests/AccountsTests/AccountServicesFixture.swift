import Accounts
import AxonTesting
import MatrixTypes
import Storage
import Synchronization

/// Account services over each test database, with a settable clock and no rate limits.
enum AccountServicesFixture {
    static let serverName = try! ServerName("example.org")
    static let secret = "fixture shared secret"

    struct NoLimit: ActionLimiter {
        func limit(_ key: String, record: Bool) -> Int? { nil }
    }

    /// A clock tests move by hand.
    final class ManualClock: Sendable {
        private let milliseconds = Mutex<Int64>(1_800_000_000_000)

        var wallClock: WallClock { WallClock { self.milliseconds.withLock { $0 } } }

        func advance(seconds: Int64) {
            milliseconds.withLock { $0 += seconds * 1000 }
        }
    }

    static func services(_ database: any Database, clock: ManualClock = ManualClock()) -> AccountServices {
        AccountServices(
            database: database,
            settings: AccountSettings(
                serverName: serverName, registrationEnabled: true, registrationSharedSecret: secret, passwordCost: PasswordCost(bcryptRounds: 4)
            ),
            limits: AccountLimits(registration: NoLimit(), loginAccount: NoLimit(), loginFailures: NoLimit(), reauthenticationFailures: NoLimit()),
            clock: clock.wallClock, tokenCache: AccessTokenCache(capacity: 1_000)
        )
    }

    static func sharedSecretRequest(nonce: String, username: String, password: String, admin: Bool = false, secret: String = secret) -> SharedSecretRequest {
        SharedSecretRequest(
            nonce: nonce, username: username, password: password,
            mac: SharedSecretMAC.hex(secret: secret, nonce: nonce, username: username, password: password, admin: admin, userType: nil),
            admin: admin
        )
    }
}
