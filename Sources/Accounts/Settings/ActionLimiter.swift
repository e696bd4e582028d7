/// A leaky-bucket rate limit the services apply themselves, because only they know the key (the account a
/// login names, the address that completed a registration).
public protocol ActionLimiter: Sendable {
    /// Checks one action for `key` and, when `record` is true and the action is allowed, counts it.
    /// - Returns: `nil` when allowed, otherwise how many milliseconds to wait.
    func limit(_ key: String, record: Bool) -> Int?
}

/// An `ActionLimiter` that can also weigh several actions at once: all are allowed (and, with `record`, counted)
/// or none. `createRoom` checks its whole invite list this way, as Synapse does.
public protocol WeightedActionLimiter: ActionLimiter {
    func limit(_ key: String, cost: Double, record: Bool) -> Int?
}

/// The `rc_*` limits enforced inside the account services.
public struct AccountLimits: Sendable {
    /// `rc_registration`, per client address: every registration request counts, whatever its outcome.
    public var registration: any ActionLimiter
    /// `rc_login.account`, per account, counted on every successful login.
    public var loginAccount: any ActionLimiter
    /// `rc_login.failed_attempts`, per account, counted on every wrong password at login.
    public var loginFailures: any ActionLimiter
    /// `rc_login.failed_attempts`, per account, counted on every failed password stage of re-authentication
    /// (only the requester's own password is ever checked there).
    public var reauthenticationFailures: any ActionLimiter

    public init(
        registration: any ActionLimiter, loginAccount: any ActionLimiter, loginFailures: any ActionLimiter,
        reauthenticationFailures: any ActionLimiter
    ) {
        self.registration = registration
        self.loginAccount = loginAccount
        self.loginFailures = loginFailures
        self.reauthenticationFailures = reauthenticationFailures
    }
}

extension ActionLimiter {
    /// Throws `RateLimited` when the limit is exceeded.
    func enforce(_ key: String, record: Bool) throws(RateLimited) {
        if let wait = limit(key, record: record) { throw RateLimited(retryAfterMilliseconds: wait) }
    }
}
