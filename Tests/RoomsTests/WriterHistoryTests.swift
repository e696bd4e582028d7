import AxonTesting
import EventAuth
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// Older history of a room held elsewhere, added below this server's join: each event checked against the state
/// before it, stored below every sync position, the room's extremities, memberships and current state untouched.
@Suite struct WriterHistoryTests {
    let alice = try! UserID("@alice:local.test")
    let bob = try! UserID("@bob:remote.test")
    let localKey = try! SigningKey.generate()

    @Test func historyFillsTheTimelineBelowTheJoin() async throws {
        try await withSQLiteDatabase { remoteDatabase in
            // The room as its server holds it: Bob creates it and talks before Alice joins.
            let remoteStore = try await RoomStore.open(database: remoteDatabase, instance: "main")
            let remote = RoomWriter(
                store: remoteStore, serverName: try ServerName("remote.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "remote")
            )
            let created = try await remote.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: bob, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(bob.rawValue)]),
                EventIntent(sender: bob, type: EventType.member, stateKey: bob.rawValue, content: ["membership": "join"]),
                EventIntent(sender: bob, type: EventType.powerLevels, stateKey: "", content: ["users": .object([bob.rawValue: 100])]),
                EventIntent(sender: bob, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
                EventIntent(sender: bob, type: "m.room.history_visibility", stateKey: "", content: ["history_visibility": "shared"]),
            ]))
            let room = created[0].roomID
            for index in 1...8 {
                _ = try await remote.write(WriteUnit(target: .existing(room), intents: [
                    EventIntent(sender: bob, type: "m.room.message", content: ["body": .string("early \(index)")]),
                ]))
            }
            let template = try await EventTemplates(store: remoteStore, serverName: try ServerName("remote.test")).template(
                EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]), in: room
            )
            let join = try PDU(json: try localKey.hashAndSign(event: template.event, as: "local.test", version: .v10), version: .v10)
            #expect(try await remote.receive(ReceivedEvents(roomID: room, events: [join])).first?.status == .accepted)
            let graph = StoredEventGraph(store: remoteStore)
            let older = try await pdus(of: remoteStore, room: room, below: join)

            try await withEachDatabase { database in
                let store = try await RoomStore.open(database: database, instance: "main")
                let writer = RoomWriter(
                    store: store, serverName: try ServerName("local.test"), signingKey: localKey, bus: InProcessBus(), logger: Logger(label: "local")
                )
                // Alice joins with the state the room's server answered: the events before her join are missing here.
                let stateBefore = try await graph.stateBefore(join)
                let stateEvents = try await graph.withAuthChains(of: stateBefore.values, version: .v10)
                _ = try await writer.receive(ReceivedEvents(
                    roomID: room, events: [join], kind: .join(JoinedRoomState(events: Array(stateEvents.events.values), state: stateBefore))
                ))
                #expect(try await store.backwardExtremities(in: room, atOrBelow: .max, limit: 5) == join.prevEventIDs)
                let stateNow = try await store.state(in: room, atStream: .max)

                // The newest five come first, the oldest of them with the state before it as answered; the rest after.
                let newest = Array(older.suffix(5))
                let oldest = newest[0]
                let oldestState = try await graph.stateBefore(oldest)
                let answered = JoinedRoomState(
                    events: Array(try await graph.withAuthChains(of: oldestState.values, version: .v10).events.values), state: oldestState
                )
                let first = try await writer.receive(ReceivedEvents(
                    roomID: room, events: newest, kind: .history(statesBefore: [oldest.eventID: answered])
                ))
                #expect(first.map(\.status) == Array(repeating: .accepted, count: 5))
                #expect(try await store.backwardExtremities(in: room, atOrBelow: .max, limit: 5) == oldest.prevEventIDs)
                let rest = Array(older.dropLast(5))
                let second = try await writer.receive(ReceivedEvents(roomID: room, events: rest, kind: .history(statesBefore: [:])))
                #expect(second.count == rest.count && second.allSatisfy { $0.status == .accepted }, "\(second)")
                // Every ordering is below the join's and below those of the newer history.
                let orderings = (second + first).compactMap(\.streamOrdering)
                #expect(orderings.count == older.count && orderings == orderings.sorted() && orderings.allSatisfy { $0 < 0 })
                #expect(try await store.backwardExtremities(in: room, atOrBelow: .max, limit: 5).isEmpty)

                // Paged back from the join, the whole room reads in order, down to its create event (an outlier until now).
                let page = try await store.history(in: room, from: .afterStream(.max), to: nil, direction: .backward, limit: 50)
                #expect(page.map(\.eventID) == [join.eventID] + older.reversed().map(\.eventID))
                #expect(page.last?.type == EventType.create)
                // The room moved on from the join alone: its extremities, memberships and current state are unchanged.
                #expect(try await store.forwardExtremities(in: room) == [join.eventID])
                #expect(try await store.state(in: room, atStream: .max) == stateNow)
                #expect(try await store.membership(of: bob, in: room) == "join")

                // A repeat is answered as decided, without storing anything again.
                let again = try await writer.receive(ReceivedEvents(roomID: room, events: newest, kind: .history(statesBefore: [:])))
                #expect(again.allSatisfy { $0.status == .accepted && $0.streamOrdering == nil })
            }
        }
    }

    /// The room's timeline on `store` below `event`, oldest first, as PDUs.
    private func pdus(of store: RoomStore, room: RoomID, below event: PDU) async throws -> [PDU] {
        let page = try await store.history(in: room, from: .afterStream(.max), to: nil, direction: .backward, limit: 100)
        return try page.filter { $0.eventID != event.eventID }.reversed().map { try PDU(bytes: $0.json, version: .v10) }
    }
}
