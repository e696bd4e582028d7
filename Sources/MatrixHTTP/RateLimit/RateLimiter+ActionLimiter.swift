public import Accounts

/// Account services apply `rc_login` and `rc_registration` themselves, keyed by account or address, with the
/// same leaky bucket the responder uses per route.
extension RateLimiter: ActionLimiter {
    public func limit(_ key: String, record: Bool) -> Int? {
        switch acquire(key, record: record) {
        case .allowed: nil
        case .limited(let retryAfterMilliseconds): retryAfterMilliseconds
        }
    }
}
