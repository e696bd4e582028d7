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

    /// A room on its own server ("remote"): Bob creates it and writes eight messages, then Alice (of "local") joins.
    struct RemoteRoom {
        let store: RoomStore
        let writer: RoomWriter
        let room: RoomID
        let join: PDU
        /// The room's events before the join, oldest first.
        let older: [PDU]
        var graph: StoredEventGraph { StoredEventGraph(store: store) }

        /// Bob's message `body`, written there.
        func message(_ body: String, by bob: UserID) async throws -> PDU {
            let written = try await writer.write(WriteUnit(target: .existing(room), intents: [
                EventIntent(sender: bob, type: "m.room.message", content: ["body": .string(body)]),
            ]))[0]
            let stored = try #require(try await store.event(written.eventID))
            return try PDU(bytes: stored.json, version: .v10)
        }

        /// What the room's server answers `/state` (or `send_join`) with for `event`: the state before it and its auth chain.
        func answeredState(before event: PDU) async throws -> JoinedRoomState {
            let state = try await graph.stateBefore(event)
            return JoinedRoomState(events: Array(try await graph.withAuthChains(of: state.values, version: .v10).events.values), state: state)
        }
    }

    /// Runs `body`, on each engine, with the remote room and this server's store and writer right after Alice joined
    /// with the state the room's server answered (the events before her join missing here).
    func withJoinedRemoteRoom(_ body: (RemoteRoom, RoomStore, RoomWriter) async throws -> Void) async throws {
        // A fresh remote room per engine: a test writes more to it.
        try await withEachDatabase { database in try await withSQLiteDatabase { remoteDatabase in
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
            let remoteRoom = RemoteRoom(
                store: remoteStore, writer: remote, room: room, join: join, older: try await pdus(of: remoteStore, room: room, below: join)
            )

            do {
                let store = try await RoomStore.open(database: database, instance: "main")
                let writer = RoomWriter(
                    store: store, serverName: try ServerName("local.test"), signingKey: localKey, bus: InProcessBus(), logger: Logger(label: "local")
                )
                _ = try await writer.receive(ReceivedEvents(roomID: room, events: [join], kind: .join(try await remoteRoom.answeredState(before: join))))
                try await body(remoteRoom, store, writer)
            }
        } }
    }

    @Test func historyFillsTheTimelineBelowTheJoin() async throws {
        try await withJoinedRemoteRoom { remote, store, writer in
                let (room, join, older) = (remote.room, remote.join, remote.older)
                #expect(try await store.backwardExtremities(in: room, atOrBelow: .max, limit: 5) == join.prevEventIDs)
                let stateNow = try await store.state(in: room, atStream: .max)

                // The newest five come first, the oldest of them with the state before it as answered; the rest after.
                let newest = Array(older.suffix(5))
                let oldest = newest[0]
                let answered = try await remote.answeredState(before: oldest)
                let first = try await writer.receive(ReceivedEvents(
                    roomID: room, events: newest, kind: .history, statesBefore: [oldest.eventID: answered]
                ))
                #expect(first.map(\.status) == Array(repeating: .accepted, count: 5))
                #expect(try await store.backwardExtremities(in: room, atOrBelow: .max, limit: 5) == oldest.prevEventIDs)
                let rest = Array(older.dropLast(5))
                let second = try await writer.receive(ReceivedEvents(roomID: room, events: rest, kind: .history))
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
                let again = try await writer.receive(ReceivedEvents(roomID: room, events: newest, kind: .history))
                #expect(again.allSatisfy { $0.status == .accepted && $0.streamOrdering == nil })
        }
    }

    /// A newer event past a gap no fetch closed (Bob wrote more while this server heard nothing) is taken with the
    /// state before it as the room's server answers, and the gap is left to be fetched as history.
    @Test func aNewerEventPastAGapIsTakenWithTheStateAnsweredForIt() async throws {
        try await withJoinedRemoteRoom { remote, store, writer in
            var missed: [PDU] = []
            for index in 1...5 { missed.append(try await remote.message("missed \(index)", by: bob)) }
            let latest = try await remote.message("latest", by: bob)
            await #expect(throws: RoomError.self, "without the state before it, the gap refuses it") {
                try await writer.receive(ReceivedEvents(roomID: remote.room, events: [latest]))
            }
            let taken = try await writer.receive(ReceivedEvents(
                roomID: remote.room, events: [latest], statesBefore: [latest.eventID: try await remote.answeredState(before: latest)]
            ))
            #expect(taken.map(\.status) == [.accepted])
            #expect(try #require(taken.first?.streamOrdering) > 0, "it is new: syncs see it")
            #expect(Set(try await store.forwardExtremities(in: remote.room)) == [remote.join.eventID, latest.eventID])
            #expect(try await store.backwardExtremities(in: remote.room, atOrBelow: .max, limit: 10).contains(missed[4].eventID))

            // The gap, fetched as history later, closes: nothing between the join and the latest event is missing.
            let filled = try await writer.receive(ReceivedEvents(roomID: remote.room, events: missed, kind: .history))
            #expect(filled.allSatisfy { $0.status == .accepted }, "\(filled)")
            let remaining = try await store.backwardExtremities(in: remote.room, atOrBelow: .max, limit: 10)
            #expect(remaining == remote.join.prevEventIDs)
        }
    }

    /// The room's timeline on `store` below `event`, oldest first, as PDUs.
    private func pdus(of store: RoomStore, room: RoomID, below event: PDU) async throws -> [PDU] {
        let page = try await store.history(in: room, from: .afterStream(.max), to: nil, direction: .backward, limit: 100)
        return try page.filter { $0.eventID != event.eventID }.reversed().map { try PDU(bytes: $0.json, version: .v10) }
    }
}
