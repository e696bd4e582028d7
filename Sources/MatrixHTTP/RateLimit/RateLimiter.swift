import Synchronization
import Dispatch

/// A leaky bucket per requester, configured by one `rc_*` section (`per_second`, `burst_count`).
///
/// Each requester may perform `burstCount` actions at once; the count drains at `perSecond`. This is
/// Synapse's algorithm, so limits copied from a Synapse config behave the same.
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burstCount: Double
    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: @Sendable () -> Double

    private struct Bucket {
        var count: Double
        var since: Double
    }

    public enum Decision: Equatable, Sendable {
        case allowed
        case limited(retryAfterMilliseconds: Int)
    }

    /// - Parameter clock: seconds on a monotonic clock; injectable so tests need not sleep.
    public init(perSecond: Double, burstCount: Double, clock: (@Sendable () -> Double)? = nil) {
        self.perSecond = perSecond
        self.burstCount = burstCount
        self.clock = clock ?? { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    }

    /// Records one action for `key` if the bucket has room.
    /// - Parameter record: `false` only asks whether the action would be allowed (Synapse's `update=False`).
    public func acquire(_ key: String, cost: Double = 1, record: Bool = true) -> Decision {
        let now = clock()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(count: 0, since: now)
            let drained = bucket.count - (now - bucket.since) * perSecond
            if drained <= 0 {
                bucket = Bucket(count: 0, since: now)
            } else {
                bucket = Bucket(count: drained, since: now)
            }
            guard bucket.count + cost <= burstCount else {
                let wait = (bucket.count + cost - burstCount) / perSecond
                return .limited(retryAfterMilliseconds: max(1, Int((wait * 1000).rounded(.up))))
            }
            guard record else { return .allowed }
            bucket.count += cost
            buckets[key] = bucket
            if buckets.count > Self.pruneThreshold { Self.prune(&buckets, now: now, perSecond: perSecond) }
            return .allowed
        }
    }

    /// Buckets that have fully drained carry no information; dropping them bounds memory under many clients.
    private static let pruneThreshold = 10_000

    private static func prune(_ buckets: inout [String: Bucket], now: Double, perSecond: Double) {
        buckets = buckets.filter { $0.value.count - (now - $0.value.since) * perSecond > 0 }
    }
}


