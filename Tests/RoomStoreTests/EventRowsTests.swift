import AxonTesting
import MatrixTypes
import RoomStore
import Testing

@Suite struct EventRowsTests {
    @Test func rawBytesAreStoredUnchanged() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "persister-1")
            let room = try RoomFixture()
            let json = #"{ "type":"m.room.message","content":{"body":"caf\u00e9 \/ é","n":1.50},"z":[ ] ,"a":null}"#
            let event = try room.event("m1", depth: 7, prev: [], stateAfter: nil, json: json)
            let orderings = try await store.persist([event])
            let stored = try #require(try await store.event(event.eventID))
            #expect(stored.json == Array(json.utf8))
            #expect(stored.streamOrdering == orderings[0])
            #expect(stored.topologicalOrdering == 7)
            #expect(stored.roomID == room.roomID)
            #expect(stored.sender == room.creator)
            #expect(stored.type == "m.room.message")
            #expect(stored.stateKey == nil)
            #expect(stored.instanceName == "persister-1")
            #expect(!stored.outlier && !stored.softFailed && stored.rejectedReason == nil)
            #expect(try await store.event(try room.id("absent")) == nil)
        }
    }

    @Test func outlierRejectedAndSoftFailedFlagsAreStored() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.event("outlier", type: "m.room.power_levels", stateKey: "", depth: 1, prev: [], stateAfter: nil, outlier: true),
                try room.event(
                    "rejected", depth: 2, prev: ["create"], stateAfter: .sameAs(try room.id("create")), rejectedReason: "auth_error"
                ),
                try room.event("soft", depth: 2, prev: ["create"], stateAfter: .sameAs(try room.id("create")), softFailed: true),
            ])
            let outlier = try #require(try await store.event(try room.id("outlier")))
            #expect(outlier.outlier && outlier.stateKey == "")
            #expect(try await store.state(after: try room.id("outlier")) == nil)
            let rejected = try #require(try await store.event(try room.id("rejected")))
            #expect(rejected.rejectedReason == "auth_error" && !rejected.softFailed)
            let soft = try #require(try await store.event(try room.id("soft")))
            #expect(soft.softFailed && soft.rejectedReason == nil)
            #expect(try await store.forwardExtremities(in: room.roomID) == [try room.id("create")])
        }
    }

    @Test func streamOrderingsIncreaseAcrossBatches() async throws {
        try await withEachDatabase { db in
            let store = try await RoomStore.open(database: db, instance: "main")
            let room = try RoomFixture()
            let first = try await store.persist([
                try room.stateEvent("create", type: "m.room.create", depth: 1, prev: nil),
                try room.message("m1", depth: 2, prev: "create"),
            ])
            let second = try await store.persist([try room.message("m2", depth: 3, prev: "m1")])
            #expect(first[0] < first[1] && first[1] < second[0])
            #expect(store.persistedUpTo >= second[0])
        }
    }
}
