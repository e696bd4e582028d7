import Histogram
import MatrixTypes

/// What one sender measured.
struct SenderResult: Sendable {
    var latency: Histogram<UInt64>
    var sent: Int
    var failed: Int
    var firstError: String?
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

    /// Sends until `end`: paced by `interval` when set, otherwise as fast as the server answers.
    func run(start: ContinuousClock.Instant, end: ContinuousClock.Instant, interval: Duration?) async -> SenderResult {
        let clock = ContinuousClock()
        var result = SenderResult(latency: LatencyHistogram.make(), sent: 0, failed: 0)
        var sequence = 0
        while clock.now < end {
            if let interval {
                let due = start + interval * sequence
                if due >= end { break }
                if clock.now < due { try? await Task.sleep(until: due, clock: clock) }
            }
            let marker = "\(userPrefix)-s\(index)-\(sequence)"
            let content: JSONValue = [
                "msgtype": "m.text", "body": .string("bench \(marker)"), Scenario.markerKey: .string(marker),
            ]
            let sendStart = clock.now
            await tracker.expect(marker, from: client.userID, start: sendStart, receivers: receivers)
            do {
                _ = try await client.send(to: roomID, txnID: marker, content: content)
                result.latency.recordDuration(clock.now - sendStart)
                result.sent += 1
            } catch {
                await tracker.abandon(marker)
                result.failed += 1
                if result.firstError == nil { result.firstError = error.description }
                try? await Task.sleep(for: .milliseconds(100))
            }
            sequence += 1
        }
        return result
    }
}
