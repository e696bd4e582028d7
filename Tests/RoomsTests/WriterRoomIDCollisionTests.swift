import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// A v12 room ID is the hash of the room's create event, so identical create events would share one room: the
/// writer moves a new room's create event off IDs already taken, in the same batch or in the store.
@Suite struct WriterRoomIDCollisionTests {
    /// Rooms of one user, created with the same content while the clock stands still.
    private func createRooms(_ count: Int, concurrently: Bool, database: any Database) async throws -> [RoomID] {
        let store = try await RoomStore.open(database: database, instance: "main")
        let writer = RoomWriter(
            store: store, serverName: try ServerName("v12.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
            logger: Logger(label: "v12"), clock: { 1_796_000_000_000 }
        )
        let alice = try UserID("@alice:v12.test")
        let unit = WriteUnit(target: .new(.v12), intents: [
            EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "12"]),
            EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
        ])
        if concurrently {
            return try await withThrowingTaskGroup(of: RoomID.self) { group in
                for _ in 0..<count { group.addTask { try await writer.write(unit)[0].roomID } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        var rooms: [RoomID] = []
        for _ in 0..<count { rooms.append(try await writer.write(unit)[0].roomID) }
        return rooms
    }

    @Test(arguments: [false, true])
    func identicalCreateEventsMakeDistinctRooms(concurrently: Bool) async throws {
        try await withEachDatabase { database in
            let rooms = try await createRooms(8, concurrently: concurrently, database: database)
            #expect(rooms.count == 8)
            #expect(Set(rooms).count == 8, "\(rooms)")
        }
    }
}
