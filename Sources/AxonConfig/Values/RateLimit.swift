/// A token bucket as Synapse's `rc_*` keys describe it: `burst_count` actions at once, refilling at
/// `per_second`.
public struct RateLimit: Sendable, Hashable {
    public var perSecond: Double
    public var burstCount: Double

    public init(perSecond: Double, burstCount: Double) {
        self.perSecond = perSecond
        self.burstCount = burstCount
    }
}

/// `rc_federation`: how many requests one remote server may make before Axon slows it down and then
/// rejects it, within a sliding window.
public struct FederationRateLimit: Sendable, Hashable {
    /// Window length in milliseconds.
    public var windowSize: Int = 1000
    /// Requests in the window before later ones are delayed.
    public var sleepLimit: Int = 10
    /// Delay in milliseconds applied past `sleepLimit`.
    public var sleepDelay: Int = 500
    /// Requests in the window before later ones are rejected.
    public var rejectLimit: Int = 50
    /// Requests from one server processed at the same time.
    public var concurrent: Int = 3

    public init() {}
}
