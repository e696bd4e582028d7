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

/// Publishing to the room directory follows `room_list_publication_rules` alone, as in Synapse: with no rules
/// nobody publishes, server admins included; admins may still unlist any room.
@Suite struct PublicationPolicyTests {
    @Test func withoutRulesNobodyPublishesNotEvenAdmins() async throws {
        try await withEachDatabase { database in
            let server = try ServerName("pub.test")
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: server, signingKey: try SigningKey.generate(), bus: InProcessBus(), logger: Logger(label: "pub")
            )
            let owner = try UserID("@owner:pub.test")
            try await database.write { transaction in
                try transaction.execute("INSERT INTO users (user_id, created_ts, is_admin) VALUES (?, 0, ?)", [.text(owner.rawValue), .integer(1)])
            }
            let room = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: owner, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(owner.rawValue)]),
                EventIntent(sender: owner, type: EventType.member, stateKey: owner.rawValue, content: ["membership": "join"]),
                EventIntent(sender: owner, type: EventType.powerLevels, stateKey: "", content: ["users": [owner.rawValue: 100]]),
            ]))[0].roomID
            let reader = try await makeRoomReader(store: store, database: database)
            func directory(_ rules: [PublicationPolicy.Rule]) -> DirectoryService {
                DirectoryService(
                    database: database, reader: reader, writer: writer, serverName: server,
                    publication: PublicationPolicy(rules: rules, users: UserLookup(database: database))
                )
            }
            let none = directory([])
            await #expect(throws: DirectoryError.self, "an admin with the room's top power level is refused without rules") {
                try await none.setListed(true, roomID: room, requester: owner)
            }
            #expect(try await none.isListed(room) == false)
            let denyOwner = directory([PublicationPolicy.Rule(userID: owner.rawValue, roomID: "*", alias: "*", allow: false)])
            await #expect(throws: DirectoryError.self) { try await denyOwner.setListed(true, roomID: room, requester: owner) }
            let allowAll = directory([PublicationPolicy.Rule(userID: "*", roomID: "*", alias: "*", allow: true)])
            try await allowAll.setListed(true, roomID: room, requester: owner)
            #expect(try await none.isListed(room))
            try await none.setListed(false, roomID: room, requester: owner)
            #expect(try await none.isListed(room) == false, "unlisting needs no rule")
        }
    }
}
