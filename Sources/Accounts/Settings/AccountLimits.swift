public import MatrixTypes

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
