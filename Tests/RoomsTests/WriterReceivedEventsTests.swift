import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
import Rooms
import Storage
import Testing

/// Events built by another server, added by the room's writer: authorised, stored as rejected when the rules refuse
/// them, and a fork between a local and a received event resolved so the next local event builds on both.
@Suite struct WriterReceivedEventsTests {
    let alice = try! UserID("@alice:local.test")
    let bob = try! UserID("@bob:remote.test")
    let remoteKey = try! SigningKey.generate()

    /// The event `intent` would be on the room's current state, signed by the remote server.
    func remoteEvent(
        _ intent: EventIntent, in room: RoomID, store: RoomStore, prev: [EventID]? = nil, changing fields: JSONObject = [:]
    ) async throws -> PDU {
        let template = try await EventTemplates(store: store, serverName: try ServerName("local.test")).template(intent, in: room)
        var event = template.event
        if let prev { event["prev_events"] = .array(prev.map { .string($0.rawValue) }) }
        for (key, value) in fields { event[key] = value }
        return try PDU(json: try remoteKey.hashAndSign(event: event, as: "remote.test", version: template.version), version: template.version)
    }

    @Test func receivedEventsAreAuthorisedAndForksResolve() async throws {
        try await withEachDatabase { database in
            let store = try await RoomStore.open(database: database, instance: "main")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("local.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "received")
            )
            let created = try await writer.write(WriteUnit(target: .new(.v10), intents: [
                EventIntent(sender: alice, type: EventType.create, stateKey: "", content: ["room_version": "10", "creator": .string(alice.rawValue)]),
                EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
                EventIntent(sender: alice, type: EventType.powerLevels, stateKey: "", content: ["users": .object([alice.rawValue: 100])]),
                EventIntent(sender: alice, type: EventType.joinRules, stateKey: "", content: ["join_rule": "public"]),
            ]))
            let room = created[0].roomID

            let join = try await remoteEvent(
                EventIntent(sender: bob, type: EventType.member, stateKey: bob.rawValue, content: ["membership": "join"]), in: room, store: store
            )
            let joined = try await writer.receive(ReceivedEvents(roomID: room, events: [join]))
            #expect(joined.map(\.status) == [.accepted])
            #expect(try await store.membership(of: bob, in: room) == "join")
            // A repeat is answered without storing it again.
            #expect(try await writer.receive(ReceivedEvents(roomID: room, events: [join])).first?.streamOrdering == nil)

            // Bob may not name the room (state needs level 50): rejected, and not part of the room's state.
            // (Built from a message's template, which has the same auth events: a template is refused when the rules are.)
            let rename = try await remoteEvent(
                EventIntent(sender: bob, type: "m.room.message", content: [:]), in: room, store: store,
                changing: ["type": "m.room.name", "state_key": "", "content": ["name": "mine"]]
            )
            guard case .rejected = try await writer.receive(ReceivedEvents(roomID: room, events: [rename])).first?.status else {
                Issue.record("a name set without the power to was not rejected")
                return
            }
            #expect(try await store.state(in: room, atStream: Int64.max)?[StateKey("m.room.name", "")] == nil)

            // Alice and Bob write at once: Bob's message builds on his join, not on Alice's message.
            let aliceMessage = try await writer.write(WriteUnit(target: .existing(room), intents: [
                EventIntent(sender: alice, type: "m.room.message", content: ["body": "from Alice"]),
            ]))[0]
            let bobMessage = try await remoteEvent(
                EventIntent(sender: bob, type: "m.room.message", content: ["body": "from Bob"]), in: room, store: store, prev: [join.eventID]
            )
            #expect(try await writer.receive(ReceivedEvents(roomID: room, events: [bobMessage])).first?.status == .accepted)
            #expect(Set(try await store.forwardExtremities(in: room)) == [aliceMessage.eventID, bobMessage.eventID])
            // Alice's next event closes the fork.
            let next = try await writer.write(WriteUnit(target: .existing(room), intents: [
                EventIntent(sender: alice, type: "m.room.topic", stateKey: "", content: ["topic": "merged"]),
            ]))[0]
            let stored = try #require(try await store.event(next.eventID))
            let prevs = try JSONValue.parse(stored.json)["prev_events"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(Set(prevs) == [aliceMessage.eventID.rawValue, bobMessage.eventID.rawValue])
            #expect(try await store.forwardExtremities(in: room) == [next.eventID])
            let state = try #require(try await store.state(after: next.eventID))
            #expect(state[.member(bob.rawValue)] == join.eventID && state[StateKey("m.room.topic", "")] == next.eventID)

            // Both name the room at once; Bob's, sent later by a user of the same power, wins the resolution, and the
            // next local event records the resolved state whichever extremity the store lists first.
            let levels = try await writer.write(WriteUnit(target: .existing(room), intents: [
                EventIntent(sender: alice, type: EventType.powerLevels, stateKey: "", content: ["users": .object([alice.rawValue: 100, bob.rawValue: 100])]),
            ]))[0]
            let aliceName = try await writer.write(WriteUnit(target: .existing(room), intents: [
                EventIntent(sender: alice, type: "m.room.name", stateKey: "", content: ["name": "Alice's"]),
            ]))[0]
            try await Task.sleep(for: .milliseconds(5))
            let bobName = try await remoteEvent(
                EventIntent(sender: bob, type: "m.room.message", content: [:]), in: room, store: store, prev: [levels.eventID],
                changing: ["type": "m.room.name", "state_key": "", "content": ["name": "Bob's"]]
            )
            #expect(try await writer.receive(ReceivedEvents(roomID: room, events: [bobName])).first?.status == .accepted)
            let merged = try await writer.write(WriteUnit(target: .existing(room), intents: [
                EventIntent(sender: alice, type: "m.room.message", content: ["body": "after the names"]),
            ]))[0]
            #expect(try await store.state(after: merged.eventID)?[StateKey("m.room.name", "")] == bobName.eventID, "\(aliceName)")
        }
    }
}
