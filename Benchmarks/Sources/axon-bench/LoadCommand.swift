import ArgumentParser
import AsyncHTTPClient
import Foundation
import MatrixTypes
import NIOCore

/// Loads any homeserver's Client-Server API with messages and reports send and delivery latency.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Register users, join them into rooms, keep them syncing, and time messages.",
        discussion: """
            Without --rate, each sender sends as soon as its previous message is answered (closed loop: the \
            figure is throughput). With --rate, each message is sent at its scheduled time whether or not earlier \
            ones were answered (open loop), and latencies count from that time.
            """)

    @OptionGroup var target: TargetOptions

    @Option(help: "Users to register; all of them long-poll /sync.")
    var users = 20

    @Option(help: "Users that send messages (the first S users).")
    var senders = 10

    @Option(help: "Rooms; user i joins room i % rooms.")
    var rooms = 1

    @Option(help: "Seconds to send for.")
    var duration = 30

    @Option(help: "Total messages per second offered across all senders (open loop); omit for closed loop.")
    var rate: Double?

    @Option(help: "Open loop: unanswered sends one sender may have before it skips the ones falling due.")
    var maxInFlight = 32

    @Option(help: "Long-poll timeout of /sync in milliseconds.")
    var syncTimeout = 30_000

    @Option(help: "Seconds to wait after sending for answers (open loop) and deliveries still outstanding.")
    var drain = 10

    @Option(help: "Prefix of the registered user names; defaults to a random one.")
    var userPrefix: String?

    mutating func validate() throws {
        guard users >= 1, senders >= 1, senders <= users else { throw ValidationError("need 1 ≤ senders ≤ users") }
        guard rooms >= 1, rooms <= users else { throw ValidationError("need 1 ≤ rooms ≤ users") }
        guard duration >= 1 else { throw ValidationError("duration must be at least 1 second") }
        if let rate, rate <= 0 { throw ValidationError("rate must be positive") }
        guard maxInFlight >= 1 else { throw ValidationError("max-in-flight must be at least 1") }
    }

    func run() async throws {
        let prefix = userPrefix ?? "bench\(UInt32.random(in: 0...UInt32.max))u"
        let workload = Workload(
            users: users, senders: senders, rooms: rooms, duration: .seconds(duration), rate: rate, maxInFlight: maxInFlight,
            syncTimeoutMilliseconds: syncTimeout, drain: .seconds(drain), userPrefix: prefix,
            password: "bench-password-\(prefix)")
        // One connection per poller, and room for open-loop senders to have several sends out at once.
        let http = target.client(connections: users + senders * 8 + 4)
        let base = target.base
        let scenario = Scenario(http: http, baseURL: base, workload: workload)
        let peakReset = target.pid.map(ProcessMemory.resetPeak(pid:)) ?? false
        let meter = target.databaseMeter(http: http)

        let outcome: Result<RunResult, BenchError>
        do throws(BenchError) {
            outcome = .success(try await scenario.run(log: { print($0) }, measure: { await meter?.mark($0) }))
        } catch {
            outcome = .failure(error)
        }
        let database = await meter?.json
        try await http.shutdown()
        let memory = target.pid.flatMap(ProcessMemory.sample(pid:))

        var document: JSONValue = [
            "target": .string(base),
            "users": .integer(Int64(users)), "senders": .integer(Int64(senders)), "rooms": .integer(Int64(rooms)),
            "duration_s": .integer(Int64(duration)), "rate": rate.map(JSONValue.double) ?? .null,
            "loop": rate == nil ? "closed" : "open",
        ]
        for (key, value) in memory?.json(peakSinceStart: peakReset).objectValue ?? [:] { document[key] = value }
        if let database { document["database"] = database }
        switch outcome {
        case .success(let result):
            let report = Report(result: result, memory: memory)
            report.print()
            for (key, value) in report.json.objectValue ?? [:] { document[key] = value }
        case .failure(let error):
            print("error: \(error)")
            document["error"] = .string(error.description)
            document["phase"] = error.phaseName.map(JSONValue.string) ?? .null
        }
        try target.write(document)
        if case .failure = outcome { throw ExitCode.failure }
    }
}

/// The human summary and JSON fields of a completed run.
struct Report: Sendable {
    var result: RunResult
    var memory: ProcessMemory?

    func print() {
        let sends = LatencySummary(result.sendLatency)
        let delivery = LatencySummary(result.deliveryLatency)
        Swift.print(
            "sent \(result.sent) messages (\(result.sendFailures) failed, \(result.skipped) skipped) — "
                + "\(LatencySummary.format(result.sendsPerSecond)) sends/s")
        if let error = result.firstSendError { Swift.print("first send error: \(error)") }
        Swift.print("send latency:     \(sends.line)")
        Swift.print("delivery latency: \(delivery.line)")
        Swift.print(
            "delivered to every receiver: \(result.delivered) of \(result.sent); \(result.undelivered) outstanding, "
                + "\(result.duplicates) duplicates, \(result.limitedTimelines) limited timelines, \(result.syncFailures) failed syncs")
        if let memory { Swift.print("server RSS: \(memory.residentKiB) KiB (peak \(memory.highWaterKiB) KiB)") }
    }

    var json: JSONValue {
        [
            "sent": .integer(Int64(result.sent)),
            "send_failures": .integer(Int64(result.sendFailures)),
            "skipped": .integer(Int64(result.skipped)),
            "first_send_error": result.firstSendError.map(JSONValue.string) ?? .null,
            "sends_per_second": .double(result.sendsPerSecond),
            "send_latency_ms": LatencySummary(result.sendLatency).json,
            "delivery_latency_ms": LatencySummary(result.deliveryLatency).json,
            "delivered": .integer(Int64(result.delivered)),
            "undelivered": .integer(Int64(result.undelivered)),
            "duplicates": .integer(Int64(result.duplicates)),
            "limited_timelines": .integer(Int64(result.limitedTimelines)),
            "sync_failures": .integer(Int64(result.syncFailures)),
        ]
    }
}
