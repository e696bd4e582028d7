import MatrixHTTP
import MatrixTypes
import Synchronization
import Testing

/// `rc_federation` per origin: concurrency, delay past the sleep limit, refusal past the reject limit.
struct FederationRateLimiterTests {
    /// Records the delays asked for and holds each until released.
    final class Sleeps: Sendable {
        let asked = Mutex<[Duration]>([])
        let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

        func sleep(_ duration: Duration) async {
            asked.withLock { $0.append(duration) }
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }

        func releaseAll() {
            for continuation in waiting.withLock({ state in defer { state.removeAll() }; return state }) { continuation.resume() }
        }
    }

    /// A gate a request body waits at until opened.
    final class Gate: Sendable {
        let entered = Mutex(0)
        let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])

        func pass() async {
            entered.withLock { $0 += 1 }
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
        }

        func open() {
            for continuation in waiting.withLock({ state in defer { state.removeAll() }; return state }) { continuation.resume() }
        }
    }

    static func eventually(_ condition: () -> Bool) async {
        for _ in 0..<500 where !condition() { try? await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func anOriginRunsAtMostItsConcurrentRequestsAndOthersWaitTheirTurn() async throws {
        let limiter = FederationRateLimiter(.init(window: .seconds(60), sleepLimit: 100, sleepDelay: .zero, rejectLimit: 100, concurrent: 2))
        let gate = Gate()
        let other = Gate()
        let requests = (0..<3).map { _ in Task { try await limiter.run("a.example") { await gate.pass() } } }
        await Self.eventually { gate.entered.withLock { $0 } == 2 }
        let elsewhere = Task { try await limiter.run("b.example") { await other.pass() } }
        await Self.eventually { other.entered.withLock { $0 } == 1 }
        #expect(gate.entered.withLock { $0 } == 2, "the third waits for a turn; another origin does not")
        gate.open()
        await Self.eventually { gate.entered.withLock { $0 } == 3 }
        gate.open()
        other.open()
        for request in requests { try await request.value }
        try await elsewhere.value
        #expect(gate.entered.withLock { $0 } == 3)
    }

    @Test func requestsPastTheSleepLimitWaitAndPastTheRejectLimitAreRefused() async throws {
        let sleeps = Sleeps()
        let limiter = FederationRateLimiter(
            .init(window: .seconds(60), sleepLimit: 2, sleepDelay: .milliseconds(500), rejectLimit: 1, concurrent: 10), sleep: sleeps.sleep
        )
        try await limiter.run("a.example") {}
        try await limiter.run("a.example") {}
        #expect(sleeps.asked.withLock { $0 }.isEmpty)
        let third = Task { try await limiter.run("a.example") {} }
        let fourth = Task { try await limiter.run("a.example") {} }
        await Self.eventually { sleeps.asked.withLock { $0.count } == 2 }
        #expect(sleeps.asked.withLock { $0 } == [.milliseconds(500), .milliseconds(500)], "past the sleep limit each waits")
        await #expect(throws: MatrixError.self, "two already wait, more than the reject limit") {
            try await limiter.run("a.example") {}
        }
        sleeps.releaseAll()
        try await third.value
        try await fourth.value
    }
}
