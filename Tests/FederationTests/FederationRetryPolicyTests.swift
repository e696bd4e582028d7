import Federation
import Testing

/// The pacing of retries, as Synapse's `federation:` settings describe it.
struct FederationRetryPolicyTests {
    @Test func aWaitedForRequestIsRetriedAFewTimesAfterShortDoublingPauses() {
        let policy = FederationRetryPolicy()
        #expect((1...4).map { policy.shortRetryPause(afterFailures: $0) } == [.milliseconds(500), .seconds(1), .seconds(2), nil])
        #expect(FederationRetryPolicy(maxShortRetries: 0).shortRetryPause(afterFailures: 1) == nil)
    }

    @Test func aTransactionIsRetriedWithLongPausesThenTheDestinationBacksOff() {
        let policy = FederationRetryPolicy()
        #expect((1...4).map { policy.transactionPause(afterFailures: $0) } == [.seconds(4), .seconds(16), .seconds(60), .seconds(60)])
        #expect(policy.transactionPause(afterFailures: 10) == .seconds(60))
        #expect(policy.transactionPause(afterFailures: 11) == .seconds(600), "the destination counts as down")
        #expect(policy.transactionPause(afterFailures: 12) == .seconds(1200))
        #expect(policy.transactionPause(afterFailures: 1_000_000) == .seconds(7 * 86400), "capped, however long the outage")
    }

    @Test func theSettingsShapeThePauses() {
        let policy = FederationRetryPolicy(
            maxLongRetries: 1, maxLongRetryDelay: .seconds(2), destinationMinRetryInterval: .seconds(3), destinationRetryMultiplier: 1.5,
            destinationMaxRetryInterval: .seconds(5)
        )
        #expect((1...4).map { policy.transactionPause(afterFailures: $0) } == [.seconds(2), .seconds(3), .milliseconds(4500), .seconds(5)])
    }

    @Test func anOutlandishMultiplierOrFailureCountStopsAtTheLongestInterval() {
        let policy = FederationRetryPolicy(maxLongRetries: 0, destinationRetryMultiplier: 1e30)
        #expect(policy.transactionPause(afterFailures: 1) == .seconds(600))
        #expect(policy.transactionPause(afterFailures: 2) == .seconds(7 * 86400))
        #expect(FederationRetryPolicy().transactionPause(afterFailures: Int.max) == .seconds(7 * 86400))
    }

    @Test func jitterStaysWithinItsFactors() {
        for _ in 0..<100 {
            let pause = FederationRetryPolicy.jittered(.seconds(10))
            #expect(pause >= .seconds(8) && pause <= .seconds(14))
        }
    }
}
