import ArgumentParser
import AsyncHTTPClient
import Foundation
import MatrixTypes

/// Times the syncs of an account in many rooms: `setup` once, then `initial` and `incremental` as often as
/// wanted (the server may be restarted in between, for cold runs).
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Build an account in many rooms, then time its initial and incremental /sync.")

    enum Phase: String, ExpressibleByArgument, CaseIterable {
        /// Register the account and fill its rooms.
        case setup
        /// Time initial syncs.
        case initial
        /// Time incremental syncs, each after one new message in each of `--changed-rooms` rooms.
        case incremental
    }

    @Argument(help: "setup, initial or incremental.")
    var phase: Phase

    @OptionGroup var target: TargetOptions

    @Option(help: "The account file: written by setup, read by the other phases.")
    var account: String

    @Option(help: "setup: rooms to create.")
    var rooms = 500

    @Option(help: "setup: messages per room.")
    var messages = 5

    @Option(help: "initial, incremental: syncs to time.")
    var runs = 1

    @Option(help: "incremental: rooms that get a new message before each sync.")
    var changedRooms = 100

    @Option(help: "setup: user name; defaults to a random one.")
    var userName: String?

    mutating func validate() throws {
        guard rooms >= 1, messages >= 0, runs >= 1, changedRooms >= 1 else {
            throw ValidationError("need rooms, runs and changed rooms ≥ 1, messages ≥ 0")
        }
    }

    func run() async throws {
        let http = target.client(connections: 16)
        let benchmark = SyncBenchmark(http: http, baseURL: target.base)
        var document: JSONValue = ["target": .string(target.base), "phase": .string(phase.rawValue)]
        let peakReset = phase != .setup && (target.pid.map(ProcessMemory.resetPeak(pid:)) ?? false)
        let meter = phase == .setup ? nil : target.databaseMeter(http: http)
        let outcome: Result<[SyncSample], any Error>
        do {
            switch phase {
            case .setup:
                let name = userName ?? "syncbench\(UInt32.random(in: 0...UInt32.max))"
                let built = try await benchmark.setUp(rooms: rooms, messages: messages, concurrency: 8, userPrefix: name)
                try built.save(account)
                document["rooms"] = .integer(Int64(built.rooms.count))
                document["messages_per_room"] = .integer(Int64(messages))
                outcome = .success([])
            case .initial:
                let loaded = try SyncAccount.load(account)
                document["rooms"] = .integer(Int64(loaded.rooms.count))
                await meter?.mark(.starts)
                outcome = .success(try await benchmark.initial(loaded, runs: runs))
                await meter?.mark(.ended)
            case .incremental:
                let loaded = try SyncAccount.load(account)
                document["changed_rooms"] = .integer(Int64(min(changedRooms, loaded.rooms.count)))
                await meter?.mark(.starts)
                outcome = .success(try await benchmark.incremental(loaded, runs: runs, rooms: changedRooms))
                await meter?.mark(.ended)
            }
        } catch {
            outcome = .failure(error)
        }
        if let database = await meter?.json { document["database"] = database }
        try await http.shutdown()
        for (key, value) in target.pid.flatMap(ProcessMemory.sample(pid:))?.json(peakSinceStart: peakReset).objectValue ?? [:] {
            document[key] = value
        }
        switch outcome {
        case .success(let samples):
            document["samples"] = .array(samples.map(\.json))
            for sample in samples { print("\(phase.rawValue) sync: \(LatencySummary.format(sample.milliseconds)) ms, \(sample.bytes) bytes") }
        case .failure(let error):
            print("error: \(error)")
            document["error"] = .string("\(error)")
        }
        try target.write(document)
        if case .failure = outcome { throw ExitCode.failure }
    }
}
