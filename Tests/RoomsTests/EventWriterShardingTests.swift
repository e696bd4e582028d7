import AxonTesting
import Logging
import MatrixCrypto
import MatrixTypes
import Replication
import RoomStore
@testable import Rooms
import Storage
import Testing

/// Several event writers share the rooms by a hash of the room ID: every process computes the same owner, a writer
/// creates only rooms it owns, and write units cross to the owner and back without losing a field.
@Suite struct EventWriterShardingTests {
    static let expectedOwners = ["persister2", "persister2", "persister1", "persister1"]

    @Test func everyProcessAgreesOnTheOwnerAndRoomsSpreadOverTheWriters() throws {
        let ownership = RoomOwnership(writers: ["persister1", "persister2", "persister3"])
        // Fixed values (FNV-1a of the ID's bytes): the owner must not depend on the process, as Swift's seeded `Hasher` would.
        #expect(["!abc:example.org", "!room1:example.org", "!room2:example.org", "!room3:example.org"].map {
            ownership.owner(of: try! RoomID($0))
        } == Self.expectedOwners)
        #expect(RoomOwnership(writers: ["only"]).owner(of: try RoomID("!abc:example.org")) == "only")
        var counts: [String: Int] = [:]
        for index in 0..<3_000 { counts[ownership.owner(of: try RoomID("!room\(index):example.org")), default: 0] += 1 }
        #expect(counts.count == 3)
        #expect(counts.values.allSatisfy { $0 > 800 }, "\(counts)")
    }

    @Test(arguments: [RoomVersion.v10, RoomVersion.v12])
    func aWriterCreatesOnlyRoomsItOwns(version: RoomVersion) async throws {
        try await withEachDatabase { database in
            let ownership = RoomOwnership(writers: ["persister1", "persister2"])
            let store = try await RoomStore.open(database: database, instance: "persister2")
            let writer = RoomWriter(
                store: store, serverName: try ServerName("shard.test"), signingKey: try SigningKey.generate(), bus: InProcessBus(),
                logger: Logger(label: "shard"), owns: { ownership.owner(of: $0) == "persister2" }
            )
            let alice = try UserID("@alice:shard.test")
            var create: JSONObject = ["room_version": .string(version.identifier)]
            if version == .v10 { create["creator"] = .string(alice.rawValue) }
            for _ in 0..<10 {
                let written = try await writer.write(WriteUnit(target: .new(version), intents: [
                    EventIntent(sender: alice, type: EventType.create, stateKey: "", content: .object(create)),
                    EventIntent(sender: alice, type: EventType.member, stateKey: alice.rawValue, content: ["membership": "join"]),
                ]))
                #expect(ownership.owner(of: written[0].roomID) == "persister2")
            }
        }
    }

    @Test func writeUnitsAnswersAndRefusalsCrossTheWireIntact() throws {
        let alice = try UserID("@alice:shard.test")
        let unit = WriteUnit(target: .existing(try RoomID("!room:shard.test")), intents: [
            EventIntent(
                sender: alice, type: "m.room.message", content: ["body": "caf\u{E9}", "n": 9_007_199_254_740_991],
                transaction: ClientTransaction(userID: alice, deviceID: "DEV", scope: "send !room:shard.test m.room.message", txnID: "t1")
            ),
            EventIntent(sender: alice, type: "m.room.topic", stateKey: "", content: ["topic": "x"], keepsIdenticalState: true, byGuest: true),
            EventIntent(sender: alice, type: "m.room.redaction", content: [:], redacts: try EventID("$target:shard.test")),
        ])
        let decoded = try WriteUnit(wire: try JSONValue.parse(unit.wireJSON.encoded()))
        #expect(decoded.wireJSON == unit.wireJSON)
        #expect(decoded.intents[0].transaction == unit.intents[0].transaction)
        #expect(decoded.intents[1].keepsIdenticalState && decoded.intents[1].byGuest)
        #expect(decoded.intents[2].redacts == unit.intents[2].redacts)
        let created = WriteUnit(target: .new(.v12), intents: [EventIntent(sender: alice, type: EventType.create, stateKey: "", content: [:])])
        guard case .new(let version) = try WriteUnit(wire: created.wireJSON).target else { Issue.record("a new room stays new"); return }
        #expect(version == .v12)
        #expect(throws: RoomError.self) { try WriteUnit(wire: ["intents": []]) }
        #expect(throws: RoomError.self) { try WriteUnit(wire: ["room_id": "not a room", "intents": [unit.intents[0].wireJSONForTests]]) }

        let written = [WrittenEvent(eventID: try EventID("$a:shard.test"), roomID: try RoomID("!room:shard.test"), streamOrdering: 42)]
        #expect(try WrittenEvent.fromWire(WrittenEvent.wireJSON(written)) == written)

        let refusals: [RoomError] = [
            .forbidden("no"), .roomNotFound, .eventNotFound, .aliasNotFound, .aliasInUse, .badAlias("#a:b"), .unsupportedRoomVersion("99"),
            .badRequest("bad"), .invalidRoomState("state"), .invalidEvent("float"), .eventTooLarge, .rateLimited(retryAfterMilliseconds: 1_500),
            .badState("ban"), .roomIDUnavailable, .cancelled, .writerUnavailable("gone"),
        ]
        for refusal in refusals {
            let back = try #require(RoomError(wire: refusal.wireJSON))
            #expect(back.clientError == refusal.clientError, "\(refusal)")
        }
        let storage = try #require(RoomError(wire: RoomError.storage(.noStateFor(try EventID("$x:shard.test"))).wireJSON))
        #expect(storage.clientError.status == 500)
        #expect(RoomError(wire: ["errcode": "M_UNKNOWN"]) == nil)
    }
}

extension EventIntent {
    fileprivate var wireJSONForTests: JSONValue {
        WriteUnit(target: .existing(try! RoomID("!r:shard.test")), intents: [self]).wireJSON.objectValue?["intents"]?.arrayValue?.first ?? .null
    }
}
