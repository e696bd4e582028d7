import AxonTesting
import MatrixTypes
import RoomStore
import Storage
import Testing

@Suite struct ClientTransactionTests {
    @Test func transactionIDIsUniquePerUserDeviceAndTxn() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let key = ClientTransaction(userID: room.creator, deviceID: "DEV", txnID: "t1")
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.message("m1", depth: 2, prev: "create", transaction: key),
            ])
            #expect(try await store.eventID(for: key) == (try room.id("m1")))

            await #expect {
                try await store.persist([try room.message("m2", depth: 3, prev: "m1", transaction: key)])
            } throws: { error in
                guard case .storage(.uniqueViolation) = error as? RoomStoreError else { return false }
                return true
            }
            #expect(try await store.event(try room.id("m2")) == nil)
            #expect(try await store.forwardExtremities(in: room.roomID) == [try room.id("m1")])

            let otherDevice = ClientTransaction(userID: room.creator, deviceID: "OTHER", txnID: "t1")
            #expect(try await store.eventID(for: otherDevice) == nil)
            try await store.persist([try room.message("m3", depth: 3, prev: "m1", transaction: otherDevice)])
            #expect(try await store.eventID(for: otherDevice) == (try room.id("m3")))
            #expect(try await store.eventID(for: key) == (try room.id("m1")))
        }
    }

    /// The writer asks about every retried send of a batch at once; in one statement, a thousand keys passed
    /// SQLite's expression depth and 8,192 its 32,766 parameters.
    @Test func aBatchOfMoreTransactionsThanOneStatementHoldsIsLookedUpWhole() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let sent = ClientTransaction(userID: room.creator, deviceID: "DEV", txnID: "sent")
            let last = ClientTransaction(userID: room.creator, deviceID: "DEV", txnID: "last")
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.message("m1", depth: 2, prev: "create", transaction: sent),
                try room.message("m2", depth: 3, prev: "m1", transaction: last),
            ])
            let unknown = (0..<8_200).map { ClientTransaction(userID: room.creator, deviceID: "DEV", txnID: "t\($0)") }
            let found = try await store.events(for: [sent] + unknown + [last])
            #expect(found.count == 2)
            #expect(found[sent]?.eventID == (try room.id("m1")))
            #expect(found[last]?.eventID == (try room.id("m2")), "a key past the first statement's share is found too")
        }
    }
}
