import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// Who vouches for a join to a restricted room: a member here who may invite, once the joining user is found in one
/// of the allowed rooms this server holds; the spec's refusals otherwise.
@Suite struct RestrictedJoinsTests {
    let alice = try! UserID("@alice:local.test")
    let dave = try! UserID("@dave:local.test")
    let bob = try! UserID("@bob:remote.test")

    func room(_ writer: RoomWriter, joinRule: JSONValue, invite: Int64 = 0) async throws -> RoomID {
        try await writer.write(WriteUnit(target: .new(.v10), intents: [
            EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
            EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
            EventIntent(sender: alice, type: EventType.powerLevels, stateKey: "", content: ["users": .object([alice.rawValue: 100]), "invite": .integer(invite)]),
            EventIntent(sender: alice, type: EventType.joinRules, stateKey: "", content: joinRule),
        ]))[0].roomID
    }

    func restricted(to room: String) -> JSONValue {
        ["join_rule": "restricted", "allow": [["type": "m.room_membership", "room_id": .string(room)]]]
    }

    @Test func aJoinIsVouchedForOnlyWhenItCanBe() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("local.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "restricted")
            )
            let joins = RestrictedJoins(store: store, serverName: try ServerName("local.test"))
            let lobby = try await room(writer, joinRule: ["join_rule": "public"])
            let inner = try await room(writer, joinRule: restricted(to: lobby.rawValue))

            #expect(try await joins.authoriser(of: dave, joining: lobby) == nil, "a public room needs no one to vouch")
            await #expect(throws: RoomError.self, "Dave is in none of the allowed rooms") {
                try await joins.authoriser(of: dave, joining: inner)
            }
            _ = try await writer.write(WriteUnit(target: .existing(lobby), intents: [
                EventIntent(sender: dave, type: EventType.member, stateKey: dave.rawValue, content: ["membership": "join"]),
            ]))
            #expect(try await joins.authoriser(of: dave, joining: inner) == alice)
            _ = try await writer.write(WriteUnit(target: .existing(inner), intents: [
                EventIntent(sender: alice, type: EventType.member, stateKey: bob.rawValue, content: ["membership": "invite"]),
            ]))
            #expect(try await joins.authoriser(of: bob, joining: inner) == nil, "an invited user needs no one to vouch")

            // Allowed rooms this server does not hold cannot be checked here; no one here able to invite cannot vouch.
            let elsewhere = try await room(writer, joinRule: restricted(to: "!elsewhere:remote.test"))
            do {
                _ = try await joins.authoriser(of: dave, joining: elsewhere)
                Issue.record("a join was vouched for without any allowed room held here")
            } catch {
                guard case RoomError.cannotAuthoriseJoin = error else { throw error }
            }
            let closed = try await room(writer, joinRule: restricted(to: lobby.rawValue), invite: 101)
            do {
                _ = try await joins.authoriser(of: dave, joining: closed)
                Issue.record("a join was vouched for by someone who may not invite")
            } catch {
                guard case RoomError.cannotGrantJoin = error else { throw error }
            }
        }
    }
}
