import Accounts
import AdminAPI
public import AxonConfig
import ClientAPI
public import Logging
public import MatrixHTTP
import MatrixTypes
public import Storage

/// Wires services and route collections for one process. Tests build the same composition, so what
/// they exercise is what `axon` serves.
public struct Composition: Sendable {
    public let config: HomeserverConfig
    public let role: ProcessRole
    public let database: any Database
    public let accounts: AccountServices
    public let registry: RouteRegistry
    let readiness: Readiness
    let logger: Logger

    public init(config: HomeserverConfig, role: ProcessRole, database: any Database, logger: Logger) {
        self.config = config
        self.role = role
        self.database = database
        self.logger = logger
        let readiness = Readiness(Self.readinessChecks(role: role, database: database))
        self.readiness = readiness
        guard let serverName = try? ServerName(config.server.serverName) else {
            preconditionFailure("the config loader accepts only valid server names, not \(config.server.serverName)")
        }
        let accounts = AccountServices(database: database, settings: Self.accountSettings(config, serverName: serverName), limits: Self.accountLimits(config.rateLimits))
        self.accounts = accounts
        registry = RouteRegistry(
            HealthRoutes.routes(readiness: readiness) + VersionsRoutes.routes()
                + Self.accountRoutes(accounts, config: config, serverName: serverName)
        )
    }

    /// The responder for one listener. The monolith (`main`) answers every role's routes.
    public func responder(listenerResources: some Sequence<RouteResource>, trustForwardedFor: Bool) -> MatrixResponder {
        MatrixResponder(
            registry: registry,
            served: ServedRoutes(listenerResources: listenerResources, role: role == .main ? nil : role),
            limits: BodyLimits(upload: config.media.maxUploadSize),
            trustForwardedFor: trustForwardedFor,
            accessTokens: accounts.tokens,
            logger: logger
        )
    }

    private static func accountRoutes(_ accounts: AccountServices, config: HomeserverConfig, serverName: ServerName) -> [Route] {
        // `JSONValue` is itself nil-literal convertible, so spell out the optional's absence.
        let clientDiscovery: JSONValue? =
            config.server.servesClientWellKnown ? .some(WellKnownRoutes.clientDiscovery(publicBaseURL: config.server.publicBaseURL)) : .none
        return RegistrationRoutes.routes(accounts.registration, homeServer: serverName)
            + LoginRoutes.routes(accounts.login, addressLimiter: RateLimiter(config.rateLimits.loginAddress), wellKnown: clientDiscovery)
            + LogoutRoutes.routes(accounts.logout)
            + AccountRoutes.routes(accounts.account)
            + DeviceRoutes.routes(accounts.devices)
            + CapabilitiesRoutes.routes(defaultRoomVersion: config.server.defaultRoomVersion)
            + WellKnownRoutes.routes(
                client: clientDiscovery,
                server: config.server.serveServerWellKnown ? WellKnownRoutes.serverDelegation(serverName: serverName) : nil
            )
            + ThirdPartyRoutes.routes()
            + SharedSecretRegistrationRoutes.routes(accounts.sharedSecret, homeServer: serverName)
    }

    private static func accountSettings(_ config: HomeserverConfig, serverName: ServerName) -> AccountSettings {
        let registration = config.registration
        return AccountSettings(
            serverName: serverName, registrationEnabled: registration.enableRegistration,
            registrationRequiresToken: registration.registrationRequiresToken, guestAccessAllowed: registration.allowGuestAccess,
            registrationSharedSecret: registration.registrationSharedSecret?.revealed,
            passwordCost: PasswordCost(bcryptRounds: registration.bcryptRounds)
        )
    }

    /// One bucket set per process, as in Synapse; workers each count their own requests.
    private static func accountLimits(_ limits: RateLimitConfig) -> AccountLimits {
        AccountLimits(
            registration: RateLimiter(limits.registration), loginAccount: RateLimiter(limits.loginAccount),
            loginFailures: RateLimiter(limits.loginFailedAttempts), reauthenticationFailures: RateLimiter(limits.loginFailedAttempts)
        )
    }

    private static func readinessChecks(role: ProcessRole, database: any Database) -> [@Sendable () async -> String?] {
        var checks: [@Sendable () async -> String?] = [
            {
                do {
                    try await database.ping()
                    return nil
                } catch {
                    return "database unavailable: \(error)"
                }
            }
        ]
        if let missing = RoleAvailability.missingReason(role) {
            checks.append { missing }
        }
        return checks
    }
}

extension RateLimiter {
    /// A limiter for one `rc_*` setting.
    convenience init(_ limit: RateLimit) {
        self.init(perSecond: limit.perSecond, burstCount: limit.burstCount)
    }
}
