public import MatrixTypes

/// Account and room services apply `rc_*` limits themselves, keyed by account, address, room or target, with
/// the same leaky bucket the responder uses per route.
extension RateLimiter: WeightedActionLimiter {
    public func limit(_ key: String, record: Bool) -> Int? {
        limit(key, cost: 1, record: record)
    }

    public func limit(_ key: String, cost: Double, record: Bool) -> Int? {
        switch acquire(key, cost: cost, record: record) {
        case .allowed: nil
        case .limited(let retryAfterMilliseconds): retryAfterMilliseconds
        }
    }
}
