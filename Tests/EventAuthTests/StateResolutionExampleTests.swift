import AxonTesting
import EventAuth
import MatrixTypes
import Testing

/// State resolution on small forks whose outcome the algorithms' definitions make obvious.
@Suite("State resolution")
struct StateResolutionExampleTests {
    let alice = EventDAGUsers.alice
    let bob = EventDAGUsers.bob
    let carol = EventDAGUsers.carol

    @Test(arguments: RoomVersion.all)
    func agreeingStatesResolveToThemselves(version: RoomVersion) throws {
        let dag = try EventDAG.authorizedRoom(version: version, members: [bob])
        let state = dag.state()
        #expect(StateResolution.resolve([state], version: version, events: dag) == state)
        #expect(StateResolution.resolve([state, state], version: version, events: dag) == state)
        #expect(StateResolution.resolve([], version: version, events: dag) == [:])
    }

    /// Alice demotes Bob on one branch while Bob kicks Carol on the other: the demotion is ordered first (Alice has
    /// more power), so the kick no longer passes and Carol stays.
    @Test(arguments: RoomVersion.all.filter { $0.stateResolution != .v1 })
    func aDemotionBeatsTheDemotedUsersKick(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version, powerLevels: [bob: 50], members: [bob, carol])
        try dag.fork("kick")
        let demotion = try dag.powerLevels(version.authRules.givesCreatorsInfinitePower ? [:] : [alice: 100], by: alice)
        let kick = try dag.member(carol, Membership.leave, by: bob, on: "kick")
        #expect(dag.accepted(demotion) && dag.accepted(kick))
        try dag.resolve([EventDAG.mainBranch, "kick"])
        #expect(dag.state()[.powerLevels] == demotion.eventID)
        #expect(dag.stateEvent(.member(carol.rawValue))?.membership == Membership.join)
    }

    /// A ban on one branch and the banned user's topic change on the other: power events are resolved first, then
    /// the topic change fails against the banned membership.
    @Test(arguments: RoomVersion.all.filter { $0.stateResolution != .v1 })
    func aBanUndoesTheBannedUsersConcurrentState(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version, powerLevels: [carol: 50], members: [carol])
        try dag.fork("topic")
        try dag.member(carol, Membership.ban, by: alice)
        let topic = try dag.send("m.room.topic", stateKey: "", from: carol, content: ["topic": "mine"], on: "topic")
        #expect(dag.accepted(topic))
        try dag.resolve([EventDAG.mainBranch, "topic"])
        #expect(dag.stateEvent(.member(carol.rawValue))?.membership == Membership.ban)
        #expect(dag.state()[StateKey("m.room.topic", "")] == nil)
    }

    /// Room v1 takes conflicting ordinary state from the deepest branch whose event passes the auth rules.
    @Test func v1PrefersTheDeepestAuthorisedEvent() throws {
        var dag = try EventDAG.authorizedRoom(version: .v1, powerLevels: [bob: 50], members: [bob])
        try dag.fork("short")
        try dag.message("filler", from: alice)
        let deep = try dag.send("m.room.name", stateKey: "", from: bob, content: ["name": "deep"])
        let shallow = try dag.send("m.room.name", stateKey: "", from: bob, content: ["name": "shallow"], on: "short")
        #expect(deep.depth > shallow.depth)
        try dag.resolve([EventDAG.mainBranch, "short"])
        #expect(dag.state()[StateKey("m.room.name", "")] == deep.eventID)
    }

    @Test(arguments: [RoomVersion.v1, .v10, .v12])
    func unknownConflictedEventsAreLeftOut(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version, powerLevels: [bob: 50], members: [bob])
        try dag.fork("other")
        let known = try dag.send("m.room.name", stateKey: "", from: bob, content: ["name": "a"])
        let unknown = try dag.send("m.room.name", stateKey: "", from: bob, content: ["name": "b"], on: "other")
        let events = EventDictionary(dag.orderedEvents.filter { $0.eventID != unknown.eventID })
        let resolved = StateResolution.resolve([dag.state(), dag.state(of: "other")], version: version, events: events)
        #expect(resolved[StateKey("m.room.name", "")] == known.eventID)
        #expect(resolved[.create] == dag.state()[.create])
    }

    @Test(arguments: [RoomVersion.v10, .v12])
    func rejectedConflictedEventsStayOut(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version, powerLevels: [bob: 50], members: [bob])
        try dag.fork("other")
        let name = try dag.send("m.room.name", stateKey: "", from: bob, content: ["name": "a"])
        var events = EventDictionary(dag.orderedEvents)
        events.insert(name, rejected: true)
        let resolved = StateResolution.resolve([dag.state(), dag.state(of: "other")], version: version, events: events)
        #expect(resolved[StateKey("m.room.name", "")] == nil)
    }
}
