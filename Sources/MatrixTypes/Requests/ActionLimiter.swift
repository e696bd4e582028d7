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
