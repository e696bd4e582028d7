import AsyncHTTPClient
import Histogram
import MatrixTypes

/// The shape of one benchmark run.
struct Workload: Sendable {
    var users: Int
    var senders: Int
    var rooms: Int
    var duration: Duration
    /// Total messages per second offered across all senders (open loop); nil sends back to back (closed loop).
    var rate: Double?
    /// Open loop: unanswered sends one sender may have outstanding before it skips due ones.
    var maxInFlight: Int = 32
    var syncTimeoutMilliseconds: Int
    /// How long to wait after the last send for outstanding deliveries.
    var drain: Duration
    /// Prefix for user names, unique per run so reruns against one server do not collide.
    var userPrefix: String
    var password: String
}

/// What one run measured.
struct RunResult: Sendable {
    var sent: Int
    var sendFailures: Int
    /// Open loop: sends never made because the sender already had `maxInFlight` unanswered.
    var skipped: Int
    var firstSendError: String?
    var elapsed: Duration
    var sendLatency: Histogram<UInt64>
    var deliveryLatency: Histogram<UInt64>
    var delivered: Int
    var undelivered: Int
    var duplicates: Int
    var limitedTimelines: Int
    var syncFailures: Int

    var sendsPerSecond: Double {
        let (seconds, attoseconds) = elapsed.components
        let total = Double(seconds) + Double(attoseconds) / 1e18
        return total > 0 ? Double(sent) / total : 0
    }
}

/// The edges of the part of a run that is measured.
enum MeasuredPart: Sendable {
    case starts
    case ended
}

/// Registers users, builds rooms, keeps everyone syncing and drives the senders.
struct Scenario: Sendable {
    /// The content key carrying each message's unique marker.
    static let markerKey = "org.axon.bench.marker"

    let http: HTTPClient
    let baseURL: String
    let workload: Workload

    /// - Parameter measure: called as the senders start and once deliveries have drained, to count what the server
    ///   did for the measured part alone (not registrations, room setup or initial syncs).
    func run(log: @Sendable (String) -> Void, measure: @Sendable (MeasuredPart) async -> Void = { _ in }) async throws(BenchError) -> RunResult {
        let clients = try await register()
        log("registered \(clients.count) users")
        let roomIDs = try await createRooms(clients)
        log("created \(roomIDs.count) room(s) and joined \(clients.count) users")

        let tracker = DeliveryTracker()
        let pollers = clients.map {
            SyncPoller(client: $0, tracker: tracker, timeoutMilliseconds: workload.syncTimeoutMilliseconds)
        }
        var tokens: [String] = []
        for poller in pollers {
            do { tokens.append(try await poller.initialToken()) } catch { throw .during("initialSync", error) }
        }
        log("every user is long-polling /sync; sending for \(workload.duration)")

        return await withTaskGroup(of: Int.self) { group in
            for (poller, token) in zip(pollers, tokens) {
                group.addTask { await poller.run(from: token) }
            }
            await measure(.starts)
            let clock = ContinuousClock()
            let start = clock.now
            let senders = await runSenders(clients: clients, roomIDs: roomIDs, tracker: tracker, start: start)
            let elapsed = clock.now - start
            let drainEnd = clock.now + workload.drain
            while await tracker.outstanding > 0, clock.now < drainEnd {
                try? await Task.sleep(for: .milliseconds(50))
            }
            await measure(.ended)
            group.cancelAll()
            var syncFailures = 0
            for await failures in group { syncFailures += failures }

            var sendLatency = LatencyHistogram.make()
            for sender in senders { sendLatency.add(sender.latency) }
            return RunResult(
                sent: senders.reduce(0) { $0 + $1.sent },
                sendFailures: senders.reduce(0) { $0 + $1.failed },
                skipped: senders.reduce(0) { $0 + $1.skipped },
                firstSendError: senders.lazy.compactMap(\.firstError).first,
                elapsed: elapsed,
                sendLatency: sendLatency,
                deliveryLatency: await tracker.latencies,
                delivered: await tracker.delivered,
                undelivered: await tracker.outstanding,
                duplicates: await tracker.duplicates,
                limitedTimelines: await tracker.limitedTimelines,
                syncFailures: syncFailures)
        }
    }

    /// The room user `index` belongs to; user `r` creates room `r`.
    private func room(of index: Int) -> Int { index % workload.rooms }

    private func register() async throws(BenchError) -> [MatrixClient] {
        try await runInParallel(count: workload.users, concurrency: workload.users, phase: "register") { [workload, http, baseURL] (index: Int) async throws(BenchError) in
            try await MatrixClient.register(
                http: http, baseURL: baseURL, username: "\(workload.userPrefix)\(index)", password: workload.password)
        }
    }

    private func createRooms(_ clients: [MatrixClient]) async throws(BenchError) -> [String] {
        var roomIDs: [String] = []
        for roomIndex in 0..<workload.rooms {
            let invitees = clients.indices.filter { $0 != roomIndex && room(of: $0) == roomIndex }.map { clients[$0].userID }
            do { roomIDs.append(try await clients[roomIndex].createRoom(inviting: invitees)) } catch {
                throw .during("createRoom", error)
            }
        }
        // Everyone else joins the room of their index, all at once.
        let joiners = Array(clients.indices.dropFirst(workload.rooms))
        _ = try await runInParallel(count: joiners.count, concurrency: joiners.count, phase: "join") { [self, roomIDs] (position: Int) async throws(BenchError) in
            let index = joiners[position]
            try await clients[index].join(roomIDs[room(of: index)])
        }
        return roomIDs
    }

    private func runSenders(
        clients: [MatrixClient], roomIDs: [String], tracker: DeliveryTracker, start: ContinuousClock.Instant
    ) async -> [SenderResult] {
        let members = Dictionary(grouping: clients.indices, by: room(of:)).mapValues { Set($0.map { clients[$0].userID }) }
        let interval: Duration? = workload.rate.map { .seconds(Double(workload.senders) / $0) }
        // Open loop: sender `index` starts `index/senders` of an interval late, so sends spread evenly.
        func pacing(_ index: Int) -> Pacing {
            guard let interval else { return .closedLoop }
            return .openLoop(
                interval: interval, offset: interval * (Double(index) / Double(workload.senders)), maxInFlight: workload.maxInFlight,
                answerWithin: workload.drain)
        }
        let end = start + workload.duration
        return await withTaskGroup(of: SenderResult.self) { group in
            for index in 0..<workload.senders {
                let client = clients[index]
                let roomID = roomIDs[room(of: index)]
                var receivers = members[room(of: index)] ?? []
                receivers.remove(client.userID)
                let sender = Sender(
                    client: client, index: index, roomID: roomID, receivers: receivers, tracker: tracker,
                    userPrefix: workload.userPrefix)
                let senderPacing = pacing(index)
                group.addTask { await sender.run(start: start, end: end, pacing: senderPacing) }
            }
            var results: [SenderResult] = []
            for await result in group { results.append(result) }
            return results
        }
    }
}
