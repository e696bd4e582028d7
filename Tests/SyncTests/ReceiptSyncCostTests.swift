import AxonTesting
import MatrixTypes
import Receipts
import Rooms
import Storage
import Testing

/// `/sync` reads receipts by synced room and stream range together: an old token reads only what changed since
/// it in the user's joined rooms, never other rooms' receipts, and a recent one not every receipt of each room.
@Suite struct ReceiptSyncCostTests {
    @Test func receiptsAreReadOnlyForSyncedRoomsWithinTheTokenRange() async throws {
        try await withEachDatabase { database in
            let alice = try UserID("@alice:sync.test")
            let bob = try UserID("@bob:sync.test")
            // SQLite says how it runs each statement; the plan is the bound, checked on the engine that can show it.
            let recording = database.dialect == .sqlite ? PlanRecordingDatabase(database, table: "receipts") : nil
            let stack = try await SyncStack.make(database: recording ?? database)
            let mine = try await stack.createRoom(alice)
            let elsewhere = try await stack.createRoom(bob)
            let seen = try await stack.send(alice, mine, "seen")
            try await stack.receipts.post(type: "m.read", eventID: seen, threadID: nil, user: alice, roomID: mine)
            let token = try #require(try await stack.sync(alice)["next_batch"]?.stringValue)

            let noise = try await stack.send(bob, elsewhere, "noise")
            for thread in 0..<50 {
                try await stack.receipts.post(type: "m.read", eventID: noise, threadID: "thread\(thread)", user: bob, roomID: elsewhere)
            }
            let read = try await stack.send(alice, mine, "read")
            try await stack.receipts.post(type: "m.read", eventID: read, threadID: nil, user: alice, roomID: mine)
            let response = try await stack.sync(alice, since: token)

            let ephemeral = response["rooms"]?["join"]?[mine.rawValue]?["ephemeral"]?["events"]?.arrayValue ?? []
            let receipt = try #require(ephemeral.first { $0["type"] == "m.receipt" }, "\(response)")
            let content = try #require(receipt["content"]?.objectValue)
            #expect(content.count == 1 && content.contains(key: read.rawValue), "only the receipt that replaced the earlier one: \(content)")
            #expect(content[read.rawValue]?["m.read"]?[alice.rawValue]?["ts"]?.integerValue != nil)
            #expect(response["rooms"]?["join"]?[elsewhere.rawValue] == nil, "a room alice is not in")

            guard let recording else { return }
            let plans = recording.plans().filter { $0.detail.contains("receipts") }
            #expect(!plans.isEmpty)
            for (sql, detail) in plans where !detail.contains("(room_id=? AND stream_id>?") {
                Issue.record("reads receipts beyond one room's stream range: \(detail)\n\(sql)")
            }
        }
    }
}
