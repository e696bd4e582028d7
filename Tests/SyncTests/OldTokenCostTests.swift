import AxonTesting
import Foundation
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// A `since` token older than the process cannot be answered from the notifier's memory; the database answers,
/// and must do so by index per room, not by reading every event since the token.
@Suite struct OldTokenCostTests {
    @Test func anIncrementalSyncFromAnOldTokenReadsEventsOnlyByRoomOrEvent() async throws {
        try await withSQLiteDatabase { database in
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            let before = try await SyncStack.make(database: database)
            let quiet = try await before.createRoom(alice)
            let busy = try await before.createRoom(bob)
            let token = try #require(try await before.sync(alice)["next_batch"]?.stringValue)
            for index in 0..<200 { try await before.send(bob, busy, "noise \(index)") }
            let sent = try await before.send(alice, quiet, "for alice")

            // A new process: its notifier starts after the token, so the token is older than it.
            let recording = PlanRecordingDatabase(database)
            let after = try await SyncStack.make(database: recording)
            let response = try await after.sync(alice, since: token)
            #expect(response.timeline(quiet).compactMap { $0["event_id"]?.stringValue } == [sent.rawValue], "\(response)")
            let plans = recording.plans()
            #expect(!plans.isEmpty)
            for (sql, detail) in plans where Self.readsEventsByRange(detail) {
                Issue.record("reads the events table beyond one room or event: \(detail)\n\(sql)")
            }
        }
    }

    /// A plan step that scans `events`, or searches it without pinning a room or an event.
    static func readsEventsByRange(_ detail: String) -> Bool {
        let words = detail.split(separator: " ")
        guard words.count >= 2, ["e", "re", "events"].contains(String(words[1])) else { return false }
        if words[0] == "SCAN" { return true }
        return words[0] == "SEARCH" && !detail.contains("room_nid=?") && !detail.contains("event_nid=?")
    }
}

/// Passes every statement through, first asking SQLite how it will run those that touch `table`.
final class PlanRecordingDatabase: Database {
    let base: any Database
    let table: String
    private let log = Locked<[(sql: String, detail: String)]>([])

    init(_ base: any Database, table: String = "events") {
        self.base = base
        self.table = table
    }

    func plans() -> [(sql: String, detail: String)] { log.withLock { $0 } }

    var dialect: SQLDialect { base.dialect }

    func read<T: Sendable>(_ body: @escaping @Sendable (any Connection) throws -> T) async throws -> T {
        let (log, table) = (log, table)
        return try await base.read { connection in try body(Recording(base: connection, table: table, log: log)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Transaction) throws -> T) async throws -> T {
        try await base.write(body)
    }

    func close() async { await base.close() }

    private struct Recording: Connection {
        let base: any Connection
        let table: String
        let log: Locked<[(sql: String, detail: String)]>

        var dialect: SQLDialect { base.dialect }

        func query(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> [Row] {
            if sql.contains(table) {
                for row in try base.query("EXPLAIN QUERY PLAN " + sql, params) {
                    let detail: String = try row.decode("detail")
                    log.withLock { $0.append((sql, detail)) }
                }
            }
            return try base.query(sql, params)
        }

        func execute(_ sql: String, _ params: [SQLValue]) throws(StorageError) -> Int {
            try base.execute(sql, params)
        }

        func executeScript(_ sql: String) throws(StorageError) {
            try base.executeScript(sql)
        }
    }
}
