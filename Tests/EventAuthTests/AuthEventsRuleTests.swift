import AxonTesting
import EventAuth
import MatrixTypes
import Testing

/// The rules about an event's `auth_events` and (in v12) its room ID.
@Suite("Auth events rules")
struct AuthEventsRuleTests {
    let alice = EventDAGUsers.alice
    let carol = EventDAGUsers.carol

    func room(_ version: RoomVersion = .v10) throws -> EventDAG {
        var dag = try EventDAG.authorizedRoom(version: version, members: [carol])
        try dag.powerLevels([alice: 100, carol: 10], by: alice)
        return dag
    }

    func refusal(_ event: PDU, using events: some EventProvider) -> String? {
        do {
            try EventAuthorizer.authorize(event, using: events)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func selectedAuthEventsPass() throws {
        var dag = try room()
        let message = try dag.message("hi", from: carol)
        #expect(refusal(message, using: dag) == nil)
        #expect(try EventAuthorizer.checkAuthEvents(of: message, using: dag).keys.sorted() == [.create, .member(carol.rawValue), .powerLevels])
    }

    @Test func duplicateSlotsAreRefused() throws {
        var dag = try room()
        let oldLevels = try #require(dag.orderedEvents.first { $0.stateMapKey == .powerLevels })
        let normal = try dag.message("hi", from: carol).authEventIDs
        let message = try dag.send("m.room.message", from: carol, authEvents: normal + [oldLevels.eventID])
        #expect(refusal(message, using: dag)?.contains("Two auth events") == true)
    }

    @Test func unselectedSlotsAreRefused() throws {
        var dag = try room()
        let normal = try dag.message("hi", from: carol).authEventIDs
        let joinRules = try #require(dag.state()[.joinRules])
        let message = try dag.send("m.room.message", from: carol, authEvents: normal + [joinRules])
        #expect(refusal(message, using: dag)?.contains("selection") == true)
    }

    @Test func theCreateEventIsRequiredBeforeV12() throws {
        var dag = try room()
        let create = try #require(dag.state()[.create])
        let normal = try dag.message("hi", from: carol).authEventIDs
        let message = try dag.send("m.room.message", from: carol, authEvents: normal.filter { $0 != create })
        #expect(refusal(message, using: dag)?.contains("m.room.create") == true)
    }

    @Test func unknownAndRejectedAuthEventsAreRefused() throws {
        var dag = try room()
        let message = try dag.message("hi", from: carol)
        let carolsJoin = try #require(dag.state()[.member(carol.rawValue)])
        let without = EventDictionary(dag.orderedEvents.filter { $0.eventID != carolsJoin })
        #expect(refusal(message, using: without)?.contains("unknown") == true)
        let rejecting = EventDictionary(dag.orderedEvents, rejected: [carolsJoin])
        #expect(refusal(message, using: rejecting)?.contains("rejected") == true)
    }

    @Test func authEventsFromAnotherRoomAreRefused() throws {
        var dag = try room()
        var other = EventDAG(version: .v10)
        try other.create(by: alice, roomLocalpart: "elsewhere")
        try other.member(alice, Membership.join)
        try other.powerLevels([alice: 100], by: alice)
        let foreignLevels = try #require(other.stateEvent(.powerLevels))
        let normal = try dag.message("hi", from: carol).authEventIDs
        let levels = try #require(dag.state()[.powerLevels])
        let message = try dag.send("m.room.message", from: carol, authEvents: normal.filter { $0 != levels } + [foreignLevels.eventID])
        let events = EventDictionary(dag.orderedEvents + other.orderedEvents)
        #expect(refusal(message, using: events)?.contains("belongs to") == true)
    }

    @Test func v12RoomIDsMustNameAnAcceptedCreateEvent() throws {
        var dag = try room(.v12)
        let message = try dag.message("hi", from: carol)
        let create = try #require(dag.state()[.create])
        #expect(refusal(message, using: dag) == nil)
        #expect(refusal(message, using: EventDictionary(dag.orderedEvents, rejected: [create]))?.contains("does not name") == true)
        #expect(refusal(message, using: EventDictionary(dag.orderedEvents.filter { $0.eventID != create }))?.contains("does not name") == true)
    }
}
