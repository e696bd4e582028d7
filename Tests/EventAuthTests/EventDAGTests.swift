import AxonTesting
import MatrixCrypto
import MatrixTypes
import Testing

/// The test DAG builder produces valid, signed events in every room version's format.
@Suite("Event DAG builder")
struct EventDAGTests {
    @Test(arguments: RoomVersion.all)
    func eventsAreSignedAndDecodable(version: RoomVersion) throws {
        let dag = try EventDAG.room(version: version, members: [EventDAGUsers.bob])
        let key = EventDAGUsers.signingKey.verifyKey
        for event in dag.orderedEvents {
            try key.verify(event: event.json, signedBy: event.sender.serverName.rawValue, version: version)
            #expect(EventHashes.hasValidContentHash(event.json))
            #expect(try PDU(json: event.json, version: version).eventID == event.eventID)
            #expect(event.roomID == dag.roomID)
        }
    }

    @Test func v1EventsCarryServerScopedIDsAndHashPairs() throws {
        let dag = try EventDAG.room(version: .v1)
        let join = try #require(dag.orderedEvents.dropFirst().first)
        #expect(join.eventID.serverName == EventDAGUsers.alice.serverName)
        #expect(join.json["prev_events"]?[0]?[1]?["sha256"]?.stringValue != nil)
    }

    @Test func v12RoomsAreNamedAfterTheirCreateEvent() throws {
        let dag = try EventDAG.room(version: .v12)
        let create = try #require(dag.orderedEvents.first)
        #expect(create.json["room_id"] == nil)
        #expect(dag.roomID == (try RoomID(createEventID: create.eventID)))
    }

    @Test func branchesForkAndMerge() throws {
        var dag = try EventDAG.room(version: .v10, members: [EventDAGUsers.bob])
        let forkPoint = try #require(dag.heads[EventDAG.mainBranch])
        try dag.fork("side")
        let left = try dag.message("left", from: EventDAGUsers.alice)
        let right = try dag.message("right", from: EventDAGUsers.bob, on: "side")
        #expect(left.prevEventIDs == forkPoint && right.prevEventIDs == forkPoint)
        try dag.merge([EventDAG.mainBranch, "side"]) { $0[0] }
        let merged = try dag.message("after", from: EventDAGUsers.alice)
        #expect(Set(merged.prevEventIDs) == [left.eventID, right.eventID])
        #expect(merged.depth == left.depth + 1)
        #expect(throws: EventDAGError.self) { try dag.fork("x", from: "missing") }
    }
}
