/// How requests to other servers are retried, with the settings and pacing of Synapse's `federation:` section: a
/// request someone waits for is retried a few times after short pauses (0.5 s doubling, up to `maxShortRetryDelay`);
/// a transaction, which nobody waits for, is retried `maxLongRetries` times after longer ones (4^n s, up to
/// `maxLongRetryDelay`), after which the destination counts as down: `destinationMinRetryInterval`, multiplied by
/// `destinationRetryMultiplier` at each further failure, up to `destinationMaxRetryInterval`. Every pause is jittered
/// by a factor between 0.8 and 1.4, so queues that failed together do not retry together.
public struct FederationRetryPolicy: Sendable, Hashable {
    public var maxShortRetries: Int
    public var maxShortRetryDelay: Duration
    public var maxLongRetries: Int
    public var maxLongRetryDelay: Duration
    public var destinationMinRetryInterval: Duration
    public var destinationRetryMultiplier: Double
    public var destinationMaxRetryInterval: Duration

    /// Synapse's defaults.
    public init(
        maxShortRetries: Int = 3, maxShortRetryDelay: Duration = .seconds(2), maxLongRetries: Int = 10,
        maxLongRetryDelay: Duration = .seconds(60), destinationMinRetryInterval: Duration = .seconds(600),
        destinationRetryMultiplier: Double = 2, destinationMaxRetryInterval: Duration = .seconds(7 * 86400)
    ) {
        self.maxShortRetries = maxShortRetries
        self.maxShortRetryDelay = maxShortRetryDelay
        self.maxLongRetries = maxLongRetries
        self.maxLongRetryDelay = maxLongRetryDelay
        self.destinationMinRetryInterval = destinationMinRetryInterval
        self.destinationRetryMultiplier = destinationRetryMultiplier
        self.destinationMaxRetryInterval = destinationMaxRetryInterval
    }

    /// The pause before retrying a waited-for request that failed `failures` times, or `nil` when it is not retried.
    public func shortRetryPause(afterFailures failures: Int) -> Duration? {
        guard failures >= 1, failures <= maxShortRetries else { return nil }
        return min(.milliseconds(500) * Self.power(2, failures - 1), maxShortRetryDelay)
    }

    /// The pause before sending a destination's transaction again after `failures` consecutive failures.
    public func transactionPause(afterFailures failures: Int) -> Duration {
        let failures = max(failures, 1)
        if failures <= maxLongRetries { return min(.seconds(1) * Self.power(4, failures), maxLongRetryDelay) }
        // In seconds as a Double first: a large multiplier must not overflow the Duration before the cap applies.
        let seconds = destinationMinRetryInterval / .seconds(1) * Self.power(destinationRetryMultiplier, failures - maxLongRetries - 1)
        return seconds < destinationMaxRetryInterval / .seconds(1) ? .milliseconds(Int64(seconds * 1000)) : destinationMaxRetryInterval
    }

    /// `pause` times a random factor between 0.8 and 1.4.
    public static func jittered(_ pause: Duration) -> Duration {
        pause * Double.random(in: 0.8...1.4)
    }

    /// `base` to the `exponent`, kept finite (a long outage counts failures without bound).
    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        var applied = 0
        while applied < exponent, result < 1e12 {
            result *= base
            applied += 1
        }
        return result
    }
}
