import MatrixTypes
import Synchronization

/// `rc_federation`: how much one origin server may ask, as Synapse limits it (its per-host rate limiter). At most
/// `concurrent` of an origin's requests run at once; the rest wait their turn. A request arriving when the origin
/// has made more than `sleepLimit` requests within the window first waits `sleepDelay`. A request arriving while more
/// than `rejectLimit` of the origin's requests are already waiting (delayed or queued) is refused with 429.
///
/// Memory is bounded: at most `capacity` origins are tracked; past it, origins with nothing running or waiting are
/// forgotten.
public final class FederationRateLimiter: Sendable {
    public struct Limits: Sendable {
        public var window: Duration
        public var sleepLimit: Int
        public var sleepDelay: Duration
        public var rejectLimit: Int
        public var concurrent: Int

        public init(window: Duration, sleepLimit: Int, sleepDelay: Duration, rejectLimit: Int, concurrent: Int) {
            self.window = window
            self.sleepLimit = sleepLimit
            self.sleepDelay = sleepDelay
            self.rejectLimit = rejectLimit
            self.concurrent = max(concurrent, 1)
        }

        /// What a refused origin is told to wait, as Synapse says it: the window shared among the requests it allows.
        var retryAfterMilliseconds: Int {
            let (seconds, attoseconds) = window.components
            return Int(seconds * 1_000 + attoseconds / 1_000_000_000_000_000) / max(sleepLimit, 1)
        }
    }

    private struct Origin {
        var arrivals: [ContinuousClock.Instant] = []
        var running = 0
        var sleeping = 0
        var queued: [CheckedContinuation<Void, Never>] = []

        var isIdle: Bool { running == 0 && sleeping == 0 && queued.isEmpty }
    }

    private let limits: Limits
    private let capacity: Int
    private let sleep: @Sendable (Duration) async -> Void
    private let origins = Mutex<[String: Origin]>([:])

    /// - Parameter sleep: how a delayed request waits (tests count the waits instead).
    public init(
        _ limits: Limits, capacity: Int = 10_000,
        sleep: @escaping @Sendable (Duration) async -> Void = { try? await Task.sleep(for: $0) }
    ) {
        self.limits = limits
        self.capacity = capacity
        self.sleep = sleep
    }

    /// Runs `body` for a request from `origin` once the limits allow; `429 M_LIMIT_EXCEEDED` when too many wait.
    public func run<T: Sendable>(_ origin: String, _ body: () async throws -> T) async throws -> T {
        let now = ContinuousClock.now
        let delayed = try origins.withLock { origins throws(MatrixError) -> Bool in
            if origins.count >= capacity, origins[origin] == nil { origins = origins.filter { !$0.value.isIdle } }
            var state = origins[origin] ?? Origin()
            state.arrivals.removeAll { now - $0 >= limits.window }
            guard state.sleeping + state.queued.count <= limits.rejectLimit else {
                throw MatrixError.limitExceeded(retryAfterMilliseconds: limits.retryAfterMilliseconds)
            }
            state.arrivals.append(now)
            let delayed = state.arrivals.count > limits.sleepLimit
            if delayed { state.sleeping += 1 }
            origins[origin] = state
            return delayed
        }
        if delayed {
            await sleep(limits.sleepDelay)
            origins.withLock { $0[origin]?.sleeping -= 1 }
        }
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let now = origins.withLock { origins -> Bool in
                guard (origins[origin]?.running ?? 0) < limits.concurrent else {
                    origins[origin, default: Origin()].queued.append(turn)
                    return false
                }
                origins[origin, default: Origin()].running += 1
                return true
            }
            if now { turn.resume() }
        }
        defer {
            let next = origins.withLock { origins -> CheckedContinuation<Void, Never>? in
                guard var state = origins[origin] else { return nil }
                defer { origins[origin] = state }
                guard !state.queued.isEmpty else {
                    state.running -= 1
                    return nil
                }
                return state.queued.removeFirst()
            }
            next?.resume()
        }
        return try await body()
    }
}
