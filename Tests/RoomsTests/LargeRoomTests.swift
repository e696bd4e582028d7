import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import Rooms
import RoomStore
import RoomTesting
import Storage
import Testing

/// A room the size a community reaches, built through the real room writer on each engine: 1,000 joined members
/// and 10,000 messages must store at most 3,000 state rows, and state at an early point must stay answerable.
@Suite struct LargeRoomTests {
    @Test func thousandMembersAndTenThousandMessagesKeepStateSmallAndHistoricalStateRight() async throws {
        try await withEachDatabase { database in
            let serverName = try ServerName("large.test")
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: serverName, signingKey: try SigningKey.generate(), bus: InProcessBus(), logger: Logger(label: "large")
            )
            let reader = try await makeRoomReader(store: store, database: database)
            let creator = try UserID("@creator:large.test")
            let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: creator, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(creator.rawValue)]),
                EventIntent(sender: creator, type: EventType.member, stateKey: creator.rawValue, content: ["membership": "join"]),
                EventIntent(sender: creator, type: EventType.powerLevels, stateKey: "", content: ["users": .object([creator.rawValue: 100])]),
                EventIntent(sender: creator, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
            ]))
            let roomID = created[0].roomID
            let users = try (0..<999).map { try UserID("@member\($0):large.test") }

            try await write(writer, roomID, users.prefix(10).map { user in
                EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": "join"])
            })
            let early = store.persistedUpTo
            try await write(writer, roomID, users.dropFirst(10).map { user in
                EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": "join"])
            })
            try await write(writer, roomID, (0..<10_000).map { index in
                EventIntent(sender: users[index % users.count], type: "m.room.message", content: ["msgtype": "m.text", "body": .string("message \(index)")])
            })

            let rows = try await database.read { try $0.queryValue("SELECT count(*) FROM state_group_entries", as: Int64.self) }
            #expect(rows <= 3_000, "\(rows) state rows")
            let members = try await reader.members(of: roomID, viewer: creator, at: .stream(early), membership: "join", notMembership: nil)
            #expect(members.count == 11, "the creator and the first ten members had joined at that point")
            let now = try await reader.members(of: roomID, viewer: creator, at: nil, membership: "join", notMembership: nil)
            #expect(now.count == 1_000)
            let state = try await reader.state(of: roomID, viewer: creator)
            #expect(state.count == 1_003, "create, power levels, join rules and 1,000 members")
            let page = try await reader.messages(
                in: roomID, viewer: .init(userID: creator, deviceID: nil), from: nil, to: nil, direction: .backward, limit: 5, filter: .all
            )
            let newest = page.chunk.first?["content"]?["body"]?.stringValue?.split(separator: " ").last.flatMap { Int($0) }
            #expect((newest ?? 0) >= 9_500, "the newest page holds messages of the last batch sent")
        }
    }

    /// Submits every intent at once so the writer batches them into few transactions.
    private func write(_ writer: RoomWriter, _ roomID: RoomID, _ intents: [EventIntent]) async throws {
        for chunk in stride(from: 0, to: intents.count, by: 500).map({ Array(intents[$0..<min($0 + 500, intents.count)]) }) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for intent in chunk {
                    group.addTask { _ = try await writer.write(WriteUnit(target: .existing(roomID), intents: [intent])) }
                }
                try await group.waitForAll()
            }
        }
    }
}
