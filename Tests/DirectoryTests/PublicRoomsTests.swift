import Accounts
import AxonTesting
import Directory
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import Rooms
import RoomStore
import RoomTesting
import Storage
import Testing

/// `/publicRooms` reads a bounded amount per call: a page costs the same few queries however many rooms are
/// listed, the limit is clamped, and paging on visits every listed room once, most joined members first.
@Suite struct PublicRoomsTests {
    static let roomCount = 110

    @Test func aPageCostsTheSameWhateverTheDirectorySizeAndPagingVisitsEachRoomOnce() async throws {
        try await withEachDatabase { base in
            let database = CountingDatabase(base)
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("dir.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "dir")
            )
            let directory = DirectoryService(
                database: database, reader: try await makeRoomReader(store: store, database: database), writer: writer,
                serverName: try ServerName("dir.test"),
                publication: PublicationPolicy(
                    rules: [PublicationPolicy.Rule(userID: "*", roomID: "*", alias: "*", allow: true)], users: UserLookup(database: database)
                )
            )
            let owner = try UserID("@owner:dir.test")
            var joined: [String: Int64] = [:]
            for index in 0..<Self.roomCount {
                let room = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                    EventIntent(sender: owner, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(owner.rawValue)]),
                    EventIntent(sender: owner, type: EventType.member, stateKey: owner.rawValue, content: ["membership": "join"]),
                    EventIntent(sender: owner, type: EventType.powerLevels, stateKey: "", content: ["users": [owner.rawValue: 100]]),
                    EventIntent(sender: owner, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
                    EventIntent(sender: owner, type: "m.room.name", stateKey: "", content: ["name": .string("room \(index)")]),
                ]))[0].roomID
                try await directory.setListed(true, roomID: room, requester: owner)
                // Members joining after the listing move the room up the list.
                let extra = index % 7
                for member in 0..<extra {
                    let user = try UserID("@m\(member):dir.test")
                    _ = try await writer.write(WriteUnit(target: .existing(room), intents: [
                        EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": "join"]),
                    ]))
                }
                joined[room.rawValue] = Int64(1 + extra)
            }

            let (first, cost) = try await database.calls {
                try await directory.publicRooms(limit: 5, since: nil, searchTerm: nil)
            }
            #expect(cost <= 3, "one page ran \(cost) database calls")
            #expect(first["chunk"]?.arrayValue?.count == 5)
            #expect(first["total_room_count_estimate"] == .integer(Int64(Self.roomCount)))

            let clamped = try await directory.publicRooms(limit: 1_000, since: nil, searchTerm: nil)
            #expect(clamped["chunk"]?.arrayValue?.count == 100, "the limit is clamped")

            var seen: [(room: String, members: Int64)] = []
            var since: String?
            for _ in 0..<50 {
                let page = try await directory.publicRooms(limit: 17, since: since, searchTerm: nil)
                for entry in page["chunk"]?.arrayValue ?? [] {
                    let room = try #require(entry["room_id"]?.stringValue)
                    seen.append((room, entry["num_joined_members"]?.integerValue ?? -1))
                    #expect(entry["name"]?.stringValue?.hasPrefix("room ") == true)
                }
                guard let next = page["next_batch"]?.stringValue else { break }
                since = next
            }
            #expect(seen.count == Self.roomCount)
            #expect(Set(seen.map(\.room)).count == Self.roomCount, "each room once")
            #expect(seen.allSatisfy { joined[$0.room] == $0.members }, "member counts follow the joins")
            #expect(seen.map(\.members) == seen.map(\.members).sorted(by: >), "most joined members first")

            // A search looks at a bounded number of rooms per call and finds its match.
            let search = try await directory.publicRooms(limit: nil, since: nil, searchTerm: "ROOM 42")
            #expect(search["chunk"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["room 42"])
        }
    }
}
