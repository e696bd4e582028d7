public import Storage

/// Every account service, wired over one database. The HTTP layer holds one of these per process.
public struct AccountServices: Sendable {
    public let settings: AccountSettings
    public let tokens: AccessTokenLookup
    public let registration: RegistrationService
    public let login: LoginService
    public let logout: LogoutService
    public let account: AccountService
    public let devices: DeviceService
    public let sharedSecret: SharedSecretRegistration
    public let openID: OpenIDTokenService
    public let users: UserLookup
    /// The password confirmation other services ask for before changes to an account's security.
    public let reauthentication: Reauthentication

    /// - Parameters:
    ///   - tokenCache: where resolved access tokens are kept; keeping none is the safe choice for a process that
    ///     shares its tokens with other processes.
    ///   - deviceRemoval: what commits with a device removal (end-to-end keys and device lists); by default nothing.
    ///   - deactivationCleanup: what else of a user's goes in the transaction that deactivates them (key backups).
    public init(
        database: any Database, settings: AccountSettings, limits: AccountLimits, clock: WallClock = .system,
        tokenCache: AccessTokenCache = AccessTokenCache(capacity: 0), deviceRemoval: (any DeviceRemovalCoordinator)? = nil,
        deactivationCleanup: @escaping @Sendable (String, any Transaction) throws -> Void = { _, _ in }
    ) {
        let removal = deviceRemoval ?? StandaloneDeviceRemoval(database: database)
        self.settings = settings
        let hasher = PasswordHasher(cost: settings.passwordCost)
        let passwords = PasswordAuthenticator(database: database, hasher: hasher, decoy: DecoyPasswordHash(hasher: hasher), serverName: settings.serverName)
        let issuer = SessionIssuer(database: database, clock: clock)
        let uia = UserInteractiveAuth(database: database, clock: clock, hasher: hasher, passwords: passwords)
        reauthentication = Reauthentication(uia: uia, database: database, failures: limits.reauthenticationFailures)
        tokens = AccessTokenLookup(database: database, cache: tokenCache)
        registration = RegistrationService(
            settings: settings,
            creator: AccountCreator(database: database, serverName: settings.serverName, clock: clock),
            uia: uia, issuer: issuer, hasher: hasher, limiter: limits.registration, tokens: tokenCache
        )
        login = LoginService(passwords: passwords, issuer: issuer, accountLimiter: limits.loginAccount, failureLimiter: limits.loginFailures)
        logout = LogoutService(removal: removal, tokens: tokenCache)
        account = AccountService(
            database: database, reauthentication: reauthentication, hasher: hasher, tokens: tokenCache, removal: removal,
            deactivationCleanup: deactivationCleanup
        )
        users = UserLookup(database: database)
        openID = OpenIDTokenService(database: database, clock: clock, serverName: settings.serverName)
        devices = DeviceService(
            database: database, reauthentication: reauthentication, serverName: settings.serverName, tokens: tokenCache, removal: removal
        )
        sharedSecret = SharedSecretRegistration(
            database: database, secret: settings.registrationSharedSecret, clock: clock,
            creator: AccountCreator(database: database, serverName: settings.serverName, clock: clock),
            issuer: issuer, hasher: hasher
        )
    }
}
