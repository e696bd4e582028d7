import AsyncHTTPClient
import Foundation
import MatrixTypes

/// One account in many rooms, each with a name, a topic and a few messages: what a user who has been around a
/// while brings to a new server. Saved to a file so the server can be restarted between setup and timing.
struct SyncAccount: Codable, Sendable {
    var userID: String
    var accessToken: String
    var rooms: [String]

    static func load(_ path: String) throws -> SyncAccount {
        try JSONDecoder().decode(SyncAccount.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func save(_ path: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path))
    }
}

/// One timed `/sync`: how long the whole answer took and how big it was.
struct SyncSample: Sendable {
    var milliseconds: Double
    var bytes: Int

    var json: JSONValue { ["ms": .double(milliseconds), "bytes": .integer(Int64(bytes))] }
}

/// Builds the account and times its initial and incremental syncs. Each answer is checked for the rooms and
/// events it must carry, so a server cannot look fast by leaving them out.
struct SyncBenchmark: Sendable {
    let http: HTTPClient
    let baseURL: String

    /// Registers a user and gives them `rooms` rooms, each with a name, a topic and `messages` messages; room
    /// creations and sends run `concurrency` at a time.
    func setUp(rooms: Int, messages: Int, concurrency: Int, userPrefix: String) async throws(BenchError) -> SyncAccount {
        let client: MatrixClient
        do {
            client = try await MatrixClient.register(http: http, baseURL: baseURL, username: userPrefix, password: "bench-password-\(userPrefix)")
        } catch {
            throw .during("register", error)
        }
        let roomIDs = try await runInParallel(count: rooms, concurrency: concurrency, phase: "createRoom") { (index: Int) async throws(BenchError) in
            let roomID = try await client.createRoom(name: "Room \(index)", topic: "What room \(index) is about")
            for message in 0..<messages {
                let content: JSONValue = ["msgtype": "m.text", "body": .string("Message \(message) in room \(index)")]
                _ = try await client.send(to: roomID, txnID: "setup-\(index)-\(message)", content: content)
            }
            return roomID
        }
        return SyncAccount(userID: client.userID, accessToken: client.accessToken ?? "", rooms: roomIDs)
    }

    /// Times `runs` initial syncs (no `since`, the server's default filter). Each asks with a `timeout` no earlier
    /// request used (an initial sync never waits): Synapse keeps a finished sync's answer for two minutes, keyed on
    /// the request's parameters, and a repeat would time that cache instead of the work.
    func initial(_ account: SyncAccount, runs: Int) async throws(BenchError) -> [SyncSample] {
        let client = self.client(account)
        var samples: [SyncSample] = []
        let firstTimeout = Int.random(in: 1...100_000)
        for run in firstTimeout..<firstTimeout + runs {
            let clock = ContinuousClock()
            let start = clock.now
            let (json, bytes) = try await client.sizedSync(since: nil, filter: nil, timeoutMilliseconds: run)
            let elapsed = clock.now - start
            let joined = json["rooms"]?["join"]?.objectValue ?? [:]
            let missing = account.rooms.filter { joined[$0] == nil }
            guard missing.isEmpty else {
                throw .malformedResponse(path: "/_matrix/client/v3/sync", reason: "initial sync left out \(missing.count) of \(account.rooms.count) rooms")
            }
            samples.append(SyncSample(milliseconds: elapsed.milliseconds, bytes: bytes))
        }
        return samples
    }

    /// Times `runs` incremental syncs, each after one new message in each of the first `rooms` rooms.
    func incremental(_ account: SyncAccount, runs: Int, rooms: Int) async throws(BenchError) -> [SyncSample] {
        let client = self.client(account)
        let targets = Array(account.rooms.prefix(rooms))
        var since = try await client.sync(since: nil, filter: Self.timelineOnly, timeoutMilliseconds: 0)["next_batch"]?.stringValue
        var samples: [SyncSample] = []
        for run in 0..<runs {
            let marker = "incremental-\(UInt32.random(in: 0...UInt32.max))-\(run)"
            _ = try await runInParallel(count: targets.count, concurrency: 8, phase: "send") { (index: Int) async throws(BenchError) in
                let content: JSONValue = ["msgtype": "m.text", "body": .string(marker), Scenario.markerKey: .string(marker)]
                return try await client.send(to: targets[index], txnID: "\(marker)-\(index)", content: content)
            }
            let clock = ContinuousClock()
            let start = clock.now
            let (json, bytes) = try await client.sizedSync(since: since, filter: nil, timeoutMilliseconds: 0)
            let elapsed = clock.now - start
            let joined = json["rooms"]?["join"]?.objectValue ?? [:]
            let carrying = targets.filter { room in
                (joined[room]?["timeline"]?["events"]?.arrayValue ?? []).contains { $0["content"]?[Scenario.markerKey]?.stringValue == marker }
            }
            guard carrying.count == targets.count else {
                throw .malformedResponse(
                    path: "/_matrix/client/v3/sync", reason: "incremental sync carried the new message in \(carrying.count) of \(targets.count) rooms")
            }
            since = json["next_batch"]?.stringValue
            samples.append(SyncSample(milliseconds: elapsed.milliseconds, bytes: bytes))
        }
        return samples
    }

    /// Only timelines, for the token the incremental runs start from.
    private static let timelineOnly: String = {
        let none: JSONValue = ["not_types": ["*"]]
        let filter: JSONValue = ["presence": none, "account_data": none, "room": ["timeline": ["limit": 1], "ephemeral": none, "state": none]]
        return String(decoding: filter.encoded(), as: UTF8.self)
    }()

    private func client(_ account: SyncAccount) -> MatrixClient {
        MatrixClient(http: http, baseURL: baseURL, accessToken: account.accessToken, userID: account.userID)
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
