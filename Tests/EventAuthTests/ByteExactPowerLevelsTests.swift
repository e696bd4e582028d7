import AxonTesting
import EventAuth
import MatrixTypes
import Testing

/// Power levels compare user IDs and event types by code point, as Synapse does: `"@\u{E9}:a.example"` and
/// `"@e\u{301}:a.example"` are different users, so re-spelling one removes an entry and adds another, and both
/// changes must be within the sender's power.
@Suite("Power levels are byte-exact")
struct ByteExactPowerLevelsTests {
    static let precomposed = "@\u{E9}:a.example"
    static let decomposed = "@e\u{301}:a.example"
    let alice = EventDAGUsers.alice
    let bob = EventDAGUsers.bob

    /// Bob (50) re-spells a user who has his own level: that removes a peer's level, which the rules forbid.
    @Test(arguments: [RoomVersion.v1, .v6, .v9, .v10, .v11, .v12])
    func respellingAPeersUserIDRemovesTheirLevel(version: RoomVersion) throws {
        var dag = try room(version, users: [Self.precomposed: 50])
        let respelled = try sendPowerLevels(&dag, users: [Self.decomposed: 50])
        #expect(!dag.accepted(respelled))
        let unchanged = try sendPowerLevels(&dag, users: [Self.precomposed: 50])
        #expect(dag.accepted(unchanged))
    }

    /// Re-spelling a user above the sender is a change above the sender's level.
    @Test(arguments: [RoomVersion.v3, .v10, .v12])
    func respellingAUserAboveTheSenderIsRefused(version: RoomVersion) throws {
        var dag = try room(version, users: [Self.decomposed: 100])
        let respelled = try sendPowerLevels(&dag, users: [Self.precomposed: 100])
        #expect(!dag.accepted(respelled))
    }

    /// The same for `events`: re-spelling an event type whose level is above the sender's.
    @Test(arguments: [RoomVersion.v2, .v10, .v12])
    func respellingAnEventTypeAboveTheSenderIsRefused(version: RoomVersion) throws {
        let precomposedType = "m.room.nam\u{E9}"
        let decomposedType = "m.room.name\u{301}"
        var dag = try room(version, users: [:], events: [precomposedType: 100])
        let respelled = try sendPowerLevels(&dag, users: [:], events: [decomposedType: 100])
        #expect(!dag.accepted(respelled))
        let unchanged = try sendPowerLevels(&dag, users: [:], events: [precomposedType: 100])
        #expect(dag.accepted(unchanged))
    }

    /// Room v12: a creator may not be listed in `users`, but the other spelling of their ID is another user.
    @Test func v12CreatorsAreMatchedByBytes() throws {
        var dag = EventDAG(version: .v12, authorizer: EventDAG.authRules)
        let creator = try UserID(Self.decomposed)
        try dag.create(by: creator)
        try dag.member(creator, Membership.join)
        let listsCreator = try dag.send(EventType.powerLevels, stateKey: "", from: creator, content: ["users": [Self.decomposed: 100]])
        #expect(!dag.accepted(listsCreator))
        let listsOtherSpelling = try dag.send(EventType.powerLevels, stateKey: "", from: creator, content: ["users": [Self.precomposed: 100]])
        #expect(dag.accepted(listsOtherSpelling))
        let levels = RoomPowerLevels(state: dag.state().compactMapValues(dag.event(withID:)), version: .v12)
        #expect(levels.userLevel(Self.decomposed) == RoomPowerLevels.creatorLevel)
        #expect(levels.userLevel(Self.precomposed) == 100)
    }

    /// A room where Alice has 100 and Bob 50, plus `users` and `events` entries set by Alice.
    private func room(_ version: RoomVersion, users: [String: Int64], events: [String: Int64] = [:]) throws -> EventDAG {
        var dag = try EventDAG.authorizedRoom(version: version, powerLevels: [bob: 50], members: [bob])
        let levels = try sendPowerLevels(&dag, users: users, events: events, by: alice)
        try #require(dag.accepted(levels))
        return dag
    }

    /// Bob (or `sender`) sets the room's levels to Alice 100 (unless a v12 creator), Bob 50, and the given entries.
    private func sendPowerLevels(
        _ dag: inout EventDAG, users: [String: Int64], events: [String: Int64] = [:], by sender: UserID? = nil
    ) throws -> PDU {
        var userLevels: JSONValue = [bob.rawValue: 50]
        if !dag.version.authRules.givesCreatorsInfinitePower { userLevels[alice.rawValue] = 100 }
        for (user, level) in users { userLevels[user] = .integer(level) }
        var eventLevels: JSONValue = [:]
        for (type, level) in events { eventLevels[type] = .integer(level) }
        return try dag.send(EventType.powerLevels, stateKey: "", from: sender ?? bob, content: ["users": userLevels, "events": eventLevels])
    }
}
