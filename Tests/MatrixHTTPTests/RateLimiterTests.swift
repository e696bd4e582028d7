@testable import MatrixHTTP
import Synchronization
import Testing

@Suite struct RateLimiterTests {
    final class FakeClock: Sendable {
        let now = Mutex(100.0)
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    }

    @Test func burstThenDrainAtTheConfiguredRate() {
        let clock = FakeClock()
        let limiter = RateLimiter(perSecond: 0.2, burstCount: 10) { clock.now.withLock { $0 } }
        for _ in 0..<10 { #expect(limiter.acquire("@a:x") == .allowed) }
        #expect(limiter.acquire("@a:x") == .limited(retryAfterMilliseconds: 5000))
        #expect(limiter.acquire("@b:x") == .allowed, "buckets are per requester")
        clock.advance(4.9)
        #expect(limiter.acquire("@a:x") == .limited(retryAfterMilliseconds: 100))
        clock.advance(0.1)
        #expect(limiter.acquire("@a:x") == .allowed)
        #expect(limiter.acquire("@a:x") != .allowed)
    }

    @Test func refusedActionsAreNotCounted() {
        let clock = FakeClock()
        let limiter = RateLimiter(perSecond: 1, burstCount: 1) { clock.now.withLock { $0 } }
        #expect(limiter.acquire("k") == .allowed)
        for _ in 0..<5 { #expect(limiter.acquire("k") == .limited(retryAfterMilliseconds: 1000)) }
        clock.advance(1)
        #expect(limiter.acquire("k") == .allowed)
    }

    /// `per_second: 0` used to trap converting an infinite wait to `Int` on the first refused action.
    @Test func zeroRateAllowsTheBurstThenRefusesWithoutTrapping() {
        let clock = FakeClock()
        let limiter = RateLimiter(perSecond: 0, burstCount: 3) { clock.now.withLock { $0 } }
        for _ in 0..<3 { #expect(limiter.acquire("k") == .allowed) }
        #expect(limiter.acquire("k") == .limited(retryAfterMilliseconds: RateLimiter.maximumRetryMilliseconds))
        clock.advance(1e9)
        #expect(limiter.acquire("k") == .limited(retryAfterMilliseconds: RateLimiter.maximumRetryMilliseconds), "the bucket never drains")
        let none = RateLimiter(perSecond: 0, burstCount: 0) { clock.now.withLock { $0 } }
        #expect(none.acquire("k") != .allowed)
    }

    @Test func waitsTooLongToRepresentAreCapped() {
        let clock = FakeClock()
        let limiter = RateLimiter(perSecond: 1e-300, burstCount: 1) { clock.now.withLock { $0 } }
        #expect(limiter.acquire("k") == .allowed)
        #expect(limiter.acquire("k") == .limited(retryAfterMilliseconds: RateLimiter.maximumRetryMilliseconds))
        #expect(limiter.acquire("k", cost: 5) == .limited(retryAfterMilliseconds: RateLimiter.maximumRetryMilliseconds))
    }

    /// Buckets that never drain are not pruned; memory stays bounded by forgetting the least recently active.
    @Test func neverDrainingBucketsAreBoundedInNumber() {
        let clock = FakeClock()
        let limiter = RateLimiter(perSecond: 0, burstCount: 1, maximumRequesters: 20_000) { clock.now.withLock { $0 } }
        for index in 0..<50_000 {
            clock.advance(0.001)
            #expect(limiter.acquire("k\(index)") == .allowed)
        }
        #expect(limiter.requesterCount <= 20_000)
        #expect(limiter.acquire("k49999") != .allowed, "recently active requesters are still counted")
    }
}
