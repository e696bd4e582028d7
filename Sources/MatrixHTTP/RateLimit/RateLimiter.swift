import Synchronization
import Dispatch

/// A leaky bucket per requester, configured by one `rc_*` section (`per_second`, `burst_count`).
///
/// Each requester may perform `burstCount` actions at once; the count drains at `perSecond`. This is
/// Synapse's algorithm, so limits copied from a Synapse config behave the same. `perSecond: 0` never drains:
/// `burstCount` actions, then every later one is refused.
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burstCount: Double
    private let maximumRequesters: Int
    private let state = Mutex(State())
    private let clock: @Sendable () -> Double

    /// The longest wait a refusal reports. A bucket that never drains (`per_second: 0`), or drains so slowly that
    /// the wait overflows, reports this rather than a value that cannot be represented.
    public static let maximumRetryMilliseconds = 24 * 60 * 60 * 1000

    private struct Bucket {
        var count: Double
        var since: Double
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        /// Pruning runs when the map grows past this, which doubles with what survives a pruning, so the cost of a
        /// pruning is spread over as many acquisitions as it scanned buckets.
        var pruneAt = RateLimiter.pruneThreshold
    }

    public enum Decision: Equatable, Sendable {
        case allowed
        case limited(retryAfterMilliseconds: Int)
    }

    /// - Parameters:
    ///   - maximumRequesters: buckets kept at most; past it the least recently active are forgotten.
    ///   - clock: seconds on a monotonic clock; injectable so tests need not sleep.
    public init(
        perSecond: Double, burstCount: Double, maximumRequesters: Int = 100_000, clock: (@Sendable () -> Double)? = nil
    ) {
        self.perSecond = perSecond
        self.burstCount = burstCount
        self.maximumRequesters = max(1, maximumRequesters)
        self.clock = clock ?? { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    }

    /// Records `cost` actions for `key` if the bucket has room for all of them.
    /// - Parameter record: `false` only asks whether the action would be allowed (Synapse's `update=False`).
    public func acquire(_ key: String, cost: Double = 1, record: Bool = true) -> Decision {
        let now = clock()
        return state.withLock { state in
            var bucket = state.buckets[key] ?? Bucket(count: 0, since: now)
            let drained = bucket.count - (now - bucket.since) * perSecond
            if drained <= 0 {
                bucket = Bucket(count: 0, since: now)
            } else {
                bucket = Bucket(count: drained, since: now)
            }
            guard bucket.count + cost <= burstCount else {
                return .limited(retryAfterMilliseconds: retryMilliseconds(excess: bucket.count + cost - burstCount))
            }
            guard record else { return .allowed }
            bucket.count += cost
            state.buckets[key] = bucket
            if state.buckets.count > state.pruneAt { prune(&state, now: now) }
            return .allowed
        }
    }

    /// How long `excess` actions take to drain, in whole milliseconds, at least 1 and at most the maximum.
    private func retryMilliseconds(excess: Double) -> Int {
        let milliseconds = (excess / perSecond * 1000).rounded(.up)
        guard milliseconds.isFinite, milliseconds < Double(Self.maximumRetryMilliseconds) else { return Self.maximumRetryMilliseconds }
        return max(1, Int(milliseconds))
    }

    /// Buckets that have fully drained carry no information; dropping them bounds memory under many clients.
    private static let pruneThreshold = 10_000

    /// Buckets that never drain (`per_second: 0`) or drain for hours survive that; past `maximumRequesters` the
    /// least recently active half is forgotten, which hands those requesters a new burst but bounds memory.
    private func prune(_ state: inout State, now: Double) {
        state.buckets = state.buckets.filter { $0.value.count - (now - $0.value.since) * perSecond > 0 }
        if state.buckets.count > maximumRequesters {
            let kept = state.buckets.sorted { $0.value.since > $1.value.since }.prefix(maximumRequesters / 2)
            state.buckets = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
        state.pruneAt = min(max(Self.pruneThreshold, state.buckets.count * 2), maximumRequesters)
    }

    /// Requesters with a bucket held in memory.
    var requesterCount: Int { state.withLock { $0.buckets.count } }
}
