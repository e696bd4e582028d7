import MatrixTypes

/// Keeps one user long-polling `/sync`, chaining `next_batch`, and reports benchmark markers to the tracker.
struct SyncPoller: Sendable {
    /// Only room messages, no presence, account data or ephemeral events: the benchmark times messages alone.
    static let filter: String = {
        let none: JSONValue = ["not_types": ["*"]]
        let filter: JSONValue = [
            "presence": none,
            "account_data": none,
            "room": [
                "timeline": ["limit": 100, "types": ["m.room.message"]],
                "state": ["lazy_load_members": true],
                "ephemeral": none,
                "account_data": none,
            ],
        ]
        return String(decoding: filter.encoded(), as: UTF8.self)
    }()

    let client: MatrixClient
    let tracker: DeliveryTracker
    let timeoutMilliseconds: Int

    /// The token to start long-polling from, taken after setup so setup events are not counted.
    func initialToken() async throws(BenchError) -> String {
        let response = try await client.sync(since: nil, filter: Self.filter, timeoutMilliseconds: 0)
        guard let token = response["next_batch"]?.stringValue else {
            throw .malformedResponse(path: "/_matrix/client/v3/sync", reason: "no next_batch")
        }
        return token
    }

    /// Polls until cancelled; returns the number of failed requests (each retried after a pause).
    func run(from token: String) async -> Int {
        var since = token
        var failures = 0
        let clock = ContinuousClock()
        while !Task.isCancelled {
            let response: JSONValue
            do {
                response = try await client.sync(since: since, filter: Self.filter, timeoutMilliseconds: timeoutMilliseconds)
            } catch {
                if Task.isCancelled { break }
                failures += 1
                try? await Task.sleep(for: .seconds(1))
                continue
            }
            let answered = clock.now
            if let next = response["next_batch"]?.stringValue { since = next }
            await report(response, at: answered)
        }
        return failures
    }

    private func report(_ response: JSONValue, at time: ContinuousClock.Instant) async {
        guard let rooms = response["rooms"]?["join"]?.objectValue else { return }
        for room in rooms.values {
            if room["timeline"]?["limited"]?.boolValue == true { await tracker.sawLimitedTimeline() }
            for event in room["timeline"]?["events"]?.arrayValue ?? [] {
                guard let marker = event["content"]?[Scenario.markerKey]?.stringValue else { continue }
                await tracker.seen(marker, by: client.userID, at: time)
            }
        }
    }
}
