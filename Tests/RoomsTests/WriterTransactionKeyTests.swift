import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// Transaction IDs are bytes: two that differ only in Unicode normalisation are two sends, even in one batch.
@Suite struct WriterTransactionKeyTests {
    @Test func canonicallyEquivalentTransactionIDsInOneBatchAreTwoEvents() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("txn.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "txn")
            )
            let alice = try UserID("@alice:txn.test")
            let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
                EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
            ]))
            let roomID = created[0].roomID
            func send(_ txnID: String) -> WriteUnit {
                WriteUnit(target: .existing(roomID), intents: [EventIntent(
                    sender: alice, type: "m.room.message", content: ["body": .string(txnID)],
                    transaction: ClientTransaction(userID: alice, deviceID: "DEV", scope: "send", txnID: txnID)
                )])
            }
            // Queued together behind a first send, so both land in one batch.
            let ids = try await withThrowingTaskGroup(of: (String, EventID).self) { group in
                for txnID in ["filler", "\u{E9}", "e\u{301}"] {
                    group.addTask { (txnID, try await writer.write(send(txnID))[0].eventID) }
                }
                return try await group.reduce(into: [[UInt8]: EventID]()) { $0[Array($1.0.utf8)] = $1.1 }
            }
            #expect(ids.count == 3)
            #expect(ids[Array("\u{E9}".utf8)] != ids[Array("e\u{301}".utf8)], "two transactions, two events")
        }
    }
}
