import Accounts
import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Profiles
import Replication
import Rooms
import RoomStore
import Storage
import Testing

/// `limit_profile_requests_to_users_who_share_rooms`: another user's profile is readable only through a joined room
/// both share; one's own profile and anonymous lookups are not limited, as in Synapse.
@Suite struct ProfileLookupTests {
    @Test func sharedRoomsOnlyLimitsLookupsToUsersInAJoinedRoomTogether() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let logger = Logger(label: "profile-lookup")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("lookup.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(), logger: logger
            )
            let users = UserLookup(database: database)
            let limited = ProfileService(database: database, users: users, writer: writer, store: store, sharedRoomsOnly: true, logger: logger)
            let open = ProfileService(database: database, users: users, writer: writer, store: store, logger: logger)
            let alice = try UserID("@alice:lookup.test")
            let bob = try UserID("@bob:lookup.test")
            let carol = try UserID("@carol:lookup.test")
            try await database.write { transaction in
                for user in [alice, bob, carol] {
                    try transaction.execute("INSERT INTO users (user_id, created_ts) VALUES (?, 0)", [.text(user.rawValue)])
                }
            }
            let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
                EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
                EventIntent(sender: alice, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
            ]))
            let roomID = created[0].roomID
            _ = try await writer.write(WriteUnit(target: .existing(roomID), intents: [
                EventIntent(sender: bob, type: EventType.member, stateKey: bob.rawValue, content: ["membership": "join"]),
            ]))

            #expect(try await limited.lookUp(bob, by: alice).displayName == "bob")
            #expect(try await limited.lookUp(alice, by: alice).displayName == "alice")
            #expect(try await limited.lookUp(carol, by: nil).displayName == "carol")
            #expect(try await open.lookUp(carol, by: alice).displayName == "carol")
            #expect(await isRefused { try await limited.lookUp(carol, by: alice) })
            #expect(await isRefused { try await limited.lookUp(alice, by: carol) })

            _ = try await writer.write(WriteUnit(target: .existing(roomID), intents: [
                EventIntent(sender: bob, type: EventType.member, stateKey: bob.rawValue, content: ["membership": "leave"]),
            ]))
            #expect(await isRefused { try await limited.lookUp(bob, by: alice) }, "a room bob has left is not shared")
        }
    }

    private func isRefused(_ lookUp: () async throws -> ProfileService.Profile) async -> Bool {
        do {
            _ = try await lookUp()
            return false
        } catch ProfileError.forbidden {
            return true
        } catch {
            return false
        }
    }
}
