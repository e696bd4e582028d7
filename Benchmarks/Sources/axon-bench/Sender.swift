import Histogram
import MatrixTypes
import Synchronization

/// What one sender measured.
struct SenderResult: Sendable {
    var latency: Histogram<UInt64>
    var sent: Int
    var failed: Int
    /// Sends due while `maxInFlight` of this sender's sends were still unanswered, so never made: the server
    /// had stopped keeping up with the offered rate.
    var skipped: Int = 0
    var firstError: String?

    mutating func record(_ outcome: SendOutcome) {
        switch outcome {
        case .sent(let latency):
            self.latency.recordDuration(latency)
            sent += 1
        case .failed(let error):
            failed += 1
            if firstError == nil { firstError = error }
        }
    }
}

enum SendOutcome: Sendable {
    case sent(latency: Duration)
    case failed(String)
}

/// How a sender spaces its messages.
enum Pacing: Sendable {
    /// Each send starts when the previous one is answered: throughput is what the server manages.
    case closedLoop
    /// Each send starts at its own scheduled time, `start + offset + interval × n`, answered or not: latencies
    /// are measured from the scheduled time, so a server falling behind shows as latency, not as a lower rate.
    /// Sends still unanswered `answerWithin` after the last one was due are cancelled and count as failed.
    case openLoop(interval: Duration, offset: Duration, maxInFlight: Int, answerWithin: Duration)
}

/// One user posting `m.room.message` events, each carrying a unique marker the receivers' syncs are matched on.
struct Sender: Sendable {
    let client: MatrixClient
    let index: Int
    let roomID: String
    /// The room's other members: an event counts as delivered once all of them saw it.
    let receivers: Set<String>
    let tracker: DeliveryTracker
    let userPrefix: String

    func run(start: ContinuousClock.Instant, end: ContinuousClock.Instant, pacing: Pacing) async -> SenderResult {
        switch pacing {
        case .closedLoop:
            await closedLoop(end: end)
        case .openLoop(let interval, let offset, let maxInFlight, let answerWithin):
            await openLoop(start: start + offset, end: end, interval: interval, maxInFlight: maxInFlight, giveUp: end + answerWithin)
        }
    }

    private func closedLoop(end: ContinuousClock.Instant) async -> SenderResult {
        let clock = ContinuousClock()
        var result = SenderResult(latency: LatencyHistogram.make(), sent: 0, failed: 0)
        var sequence = 0
        while clock.now < end {
            let outcome = await send(sequence, due: clock.now)
            result.record(outcome)
            if case .failed = outcome { try? await Task.sleep(for: .milliseconds(100)) }
            sequence += 1
        }
        return result
    }

    private func openLoop(
        start: ContinuousClock.Instant, end: ContinuousClock.Instant, interval: Duration, maxInFlight: Int, giveUp: ContinuousClock.Instant
    ) async -> SenderResult {
        let clock = ContinuousClock()
        let state = OpenLoopState()
        // A discarding group keeps nothing of finished sends: memory is bounded by the sends in flight.
        await withDiscardingTaskGroup { group in
            var sequence = 0
            while true {
                let due = start + interval * sequence
                if due >= end { break }
                if clock.now < due { try? await Task.sleep(until: due, clock: clock) }
                let admitted = state.counts.withLock { state in
                    guard state.inFlight < maxInFlight else {
                        state.result.skipped += 1
                        return false
                    }
                    state.inFlight += 1
                    return true
                }
                if admitted {
                    group.addTask { [sequence] in
                        let outcome = await send(sequence, due: due)
                        state.counts.withLock { state in
                            state.inFlight -= 1
                            state.result.record(outcome)
                        }
                    }
                }
                sequence += 1
            }
            // A server far behind would otherwise keep the run going for as long as its backlog lasts.
            while state.counts.withLock({ $0.inFlight }) > 0, clock.now < giveUp {
                try? await Task.sleep(for: .milliseconds(50))
            }
            group.cancelAll()
        }
        return state.counts.withLock { $0.result }
    }

    /// Sends message `sequence`, timing it (and its delivery) from `due`.
    private func send(_ sequence: Int, due: ContinuousClock.Instant) async -> SendOutcome {
        let marker = "\(userPrefix)-s\(index)-\(sequence)"
        let content: JSONValue = ["msgtype": "m.text", "body": .string("bench \(marker)"), Scenario.markerKey: .string(marker)]
        await tracker.expect(marker, from: client.userID, start: due, receivers: receivers)
        do {
            _ = try await client.send(to: roomID, txnID: marker, content: content)
            return .sent(latency: ContinuousClock.now - due)
        } catch {
            await tracker.abandon(marker)
            return .failed(error.description)
        }
    }
}

/// What an open-loop sender's concurrent sends share: the outcomes so far and how many are unanswered.
private final class OpenLoopState: Sendable {
    let counts = Mutex((result: SenderResult(latency: LatencyHistogram.make(), sent: 0, failed: 0), inFlight: 0))
}
