import Accounts
import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Profiles
import Replication
import Rooms
import RoomStore
import RoomTesting
import Storage
import Testing

/// A profile change is written into every joined room; a newer change supersedes what an older one has not yet
/// written, so rapid changes cost one room write each per room, not one per change per room.
@Suite struct ProfileFanOutTests {
    static let roomCount = 40

    @Test func aNewerChangeSupersedesTheRoomsAnOlderOneHasNotReached() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let logger = Logger(label: "fan-out")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("fan.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(), logger: logger
            )
            let profiles = ProfileService(database: database, users: UserLookup(database: database), writer: writer, store: store, logger: logger)
            let alice = try UserID("@alice:fan.test")
            try await database.write { transaction in
                try transaction.execute("INSERT INTO users (user_id, created_ts) VALUES (?, 0)", [.text(alice.rawValue)])
            }
            var rooms: [RoomID] = []
            for _ in 0..<Self.roomCount {
                let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                    EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
                    EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
                ]))
                rooms.append(created[0].roomID)
            }
            let before = try await memberEvents(database)

            let older = Task { try await profiles.setDisplayName("Older", of: alice, requester: alice) }
            while try await memberEvents(database) == before { try await Task.sleep(for: .milliseconds(1)) }
            try await profiles.setDisplayName("Newer", of: alice, requester: alice)
            try await older.value

            let written = try await memberEvents(database) - before
            #expect(written < 2 * Int64(Self.roomCount), "\(written) member events: the older change kept writing after the newer began")
            let reader = try await makeRoomReader(store: store, database: database)
            for roomID in rooms {
                let member = try await reader.state(of: roomID, viewer: alice).first { $0.type == EventType.member }
                let content = try JSONValue.parse(try #require(member).json)["content"]
                #expect(content?["displayname"] == "Newer", "every room ends with the newest profile")
            }
        }
    }

    private func memberEvents(_ database: any Database) async throws -> Int64 {
        try await database.read { try $0.queryValue("SELECT count(*) FROM events WHERE event_type = 'm.room.member'", as: Int64.self) }
    }
}
