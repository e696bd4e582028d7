import AccountData
import AxonTesting
import MatrixTypes
import Replication
import Storage
import Testing

/// Room tags live in the room's `m.tag` account data; each change reads and rewrites it in one transaction, so
/// changes to different tags made at once all stand.
@Suite struct RoomTagTests {
    @Test func concurrentChangesToDifferentTagsAllStand() async throws {
        try await withEachDatabase { database in
            let data = AccountDataService(
                database: database, stream: .writing(try await StreamIDAllocator.open(stream: "account_data", instance: "main", database: database)),
                bus: InProcessBus()
            )
            let alice = try UserID("@alice:tags.test")
            let room = try RoomID("!room:tags.test")
            #expect(try await data.tags(of: alice, in: room) == [:], "a room never tagged has no tags")

            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask { try await data.setTag("u.tag\(index)", to: ["order": .integer(Int64(index))], user: alice, in: room) }
                }
                try await group.waitForAll()
            }
            #expect(try await data.tags(of: alice, in: room).objectValue?.count == 20)

            try await data.setTag("u.tag3", to: nil, user: alice, in: room)
            let tags = try #require(try await data.tags(of: alice, in: room).objectValue)
            #expect(tags.count == 19)
            #expect(tags["u.tag3"] == nil)
            #expect(tags["u.tag4"] == ["order": 4])
        }
    }
}
