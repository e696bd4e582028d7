import AxonTesting
import EventAuth
import MatrixTypes
import Testing

/// The authorisation rules on small rooms, one rule at a time.
@Suite("Auth rules")
struct AuthRuleExampleTests {
    let alice = EventDAGUsers.alice
    let bob = EventDAGUsers.bob
    let carol = EventDAGUsers.carol
    let dave = EventDAGUsers.dave

    @Test(arguments: RoomVersion.all)
    func aRoomCanBeCreatedJoinedAndUsed(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version, powerLevels: [bob: 50], members: [bob, carol])
        #expect(dag.rejected.isEmpty)
        let fromMember = try dag.message("hi", from: carol)
        #expect(dag.accepted(fromMember))
        let fromStranger = try dag.message("hi", from: dave)
        #expect(!dag.accepted(fromStranger))
    }

    @Test func onlyTheCreatorJoinsRightAfterCreation() throws {
        var dag = EventDAG(version: .v10, authorizer: EventDAG.authRules)
        try dag.create(by: alice)
        try dag.fork("other")
        let bobFirst = try dag.member(bob, Membership.join, on: "other")
        #expect(!dag.accepted(bobFirst))
        let creatorFirst = try dag.member(alice, Membership.join)
        #expect(dag.accepted(creatorFirst))
    }

    @Test(arguments: [(RoomVersion.v6, false), (.v7, true)])
    func knockingArrivesInV7(version: RoomVersion, allowed: Bool) throws {
        var dag = try EventDAG.authorizedRoom(version: version)
        try dag.joinRule(JoinRule.knock, by: alice)
        let knock = try dag.member(carol, Membership.knock)
        #expect(dag.accepted(knock) == allowed)
    }

    @Test(arguments: [(RoomVersion.v9, false), (.v10, true)])
    func knockRestrictedArrivesInV10(version: RoomVersion, allowed: Bool) throws {
        var dag = try EventDAG.authorizedRoom(version: version)
        try dag.joinRule(JoinRule.knockRestricted, by: alice)
        let knock = try dag.member(carol, Membership.knock)
        #expect(dag.accepted(knock) == allowed)
    }

    @Test func restrictedJoinsNeedAJoinedUserWhoMayInvite() throws {
        var dag = try EventDAG.authorizedRoom(version: .v8, powerLevels: [bob: 0], members: [bob])
        try dag.powerLevels([alice: 100], by: alice, extraContent: ["invite": 50])
        try dag.joinRule(JoinRule.restricted, by: alice)
        try dag.fork("viaBob")
        try dag.fork("viaNobody")
        let viaAlice = try dag.member(carol, Membership.join, extraContent: ["join_authorised_via_users_server": .string(alice.rawValue)])
        let viaBob = try dag.member(carol, Membership.join, extraContent: ["join_authorised_via_users_server": .string(bob.rawValue)], on: "viaBob")
        let unvouched = try dag.member(carol, Membership.join, on: "viaNobody")
        #expect(dag.accepted(viaAlice))
        #expect(!dag.accepted(viaBob))
        #expect(!dag.accepted(unvouched))
        #expect(try EventAuthorizer.requiredSignatureServers(for: viaAlice) == [carol.serverName, alice.serverName])
    }

    @Test func kicksAndBansNeedMorePowerThanTheTarget() throws {
        var dag = try EventDAG.authorizedRoom(version: .v11, powerLevels: [bob: 50, dave: 50], members: [bob, carol, dave])
        let banPeer = try dag.member(dave, Membership.ban, by: bob)
        #expect(!dag.accepted(banPeer))
        let kickHigher = try dag.member(bob, Membership.leave, by: carol)
        #expect(!dag.accepted(kickHigher))
        let kickLower = try dag.member(carol, Membership.leave, by: bob)
        #expect(dag.accepted(kickLower))
        let banByAdmin = try dag.member(dave, Membership.ban, by: alice)
        #expect(dag.accepted(banByAdmin))
        let rejoinWhenBanned = try dag.member(dave, Membership.join)
        #expect(!dag.accepted(rejoinWhenBanned))
    }

    @Test func v12CreatorsOutrankEveryoneAndStayOutOfPowerLevels() throws {
        var dag = EventDAG(version: .v12, authorizer: EventDAG.authRules)
        try dag.create(by: alice, additionalCreators: [bob])
        try dag.member(alice, Membership.join)
        try dag.joinRule(JoinRule.public, by: alice)
        try dag.member(bob, Membership.join)
        try dag.member(carol, Membership.join)
        let listsCreator = try dag.powerLevels([bob: 100], by: alice)
        #expect(!dag.accepted(listsCreator))
        let maxLevel = try dag.powerLevels([carol: 9_007_199_254_740_991], by: alice)
        #expect(dag.accepted(maxLevel))
        let banCreator = try dag.member(bob, Membership.ban, by: carol)
        #expect(!dag.accepted(banCreator))
        let creatorBans = try dag.member(carol, Membership.ban, by: bob)
        #expect(dag.accepted(creatorBans))
        let creatorBansCreator = try dag.member(alice, Membership.ban, by: bob)
        #expect(!dag.accepted(creatorBansCreator))
    }

    @Test func v12EventsNeverListTheCreateEvent() throws {
        var dag = try EventDAG.authorizedRoom(version: .v12, members: [bob])
        let create = try #require(dag.state()[.create])
        let message = try dag.message("hi", from: bob)
        #expect(!message.authEventIDs.contains(create))
        #expect(dag.accepted(message))
        let listed = try dag.send("m.room.message", from: bob, authEvents: message.authEventIDs + [create])
        #expect(!dag.accepted(listed))
    }

    @Test(arguments: [(RoomVersion.v5, true), (.v6, false)])
    func aliasesAreSpecialBeforeV6(version: RoomVersion, allowed: Bool) throws {
        var dag = try EventDAG.authorizedRoom(version: version, members: [carol])
        let aliases = try dag.send(EventType.aliases, stateKey: carol.serverName.rawValue, from: carol, content: ["aliases": []])
        #expect(dag.accepted(aliases) == allowed)
    }

    @Test(arguments: [(RoomVersion.v2, false), (.v3, true), (.v11, true)])
    func redactingAnotherServersEventNeedsTheRedactLevelBeforeV3(version: RoomVersion, allowed: Bool) throws {
        var dag = try EventDAG.authorizedRoom(version: version, members: [carol])
        let target = try dag.message("hi", from: alice)
        let redaction = try dag.redact(target.eventID, by: carol)
        #expect(redaction.redacts == target.eventID)
        #expect(dag.accepted(redaction) == allowed)
        let own = try dag.message("oops", from: carol)
        let ownRedaction = try dag.redact(own.eventID, by: carol)
        #expect(dag.accepted(ownRedaction))
    }

    @Test func acceptedRedactionsApplyWithTheRedactLevelOrFromTheSameServer() throws {
        var dag = try EventDAG.authorizedRoom(version: .v11, members: [carol, dave])
        let target = try dag.message("hi", from: alice)
        let levels = RoomPowerLevels(state: dag.state().compactMapValues(dag.event(withID:)), version: .v11)
        #expect(!EventAuthorizer.mayApplyRedaction(try dag.redact(target.eventID, by: carol), to: target, powerLevels: levels))
        #expect(EventAuthorizer.mayApplyRedaction(try dag.redact(target.eventID, by: dave), to: target, powerLevels: levels))
        #expect(EventAuthorizer.mayApplyRedaction(try dag.redact(target.eventID, by: alice), to: target, powerLevels: levels))
    }

    @Test func powerLevelChangesStayWithinTheSendersLevel() throws {
        var dag = try EventDAG.authorizedRoom(version: .v10, powerLevels: [bob: 50, dave: 50], members: [bob, dave])
        try dag.fork("raise")
        try dag.fork("peer")
        let base: [UserID: Int64] = [alice: 100, bob: 50, dave: 50]
        let raiseToOwn = try dag.powerLevels(base.merging([carol: 50]) { $1 }, by: bob)
        #expect(dag.accepted(raiseToOwn))
        let raiseAboveOwn = try dag.powerLevels(base.merging([carol: 51]) { $1 }, by: bob, on: "raise")
        #expect(!dag.accepted(raiseAboveOwn))
        let demotePeer = try dag.powerLevels(base.merging([dave: 0]) { $1 }, by: bob, on: "peer")
        #expect(!dag.accepted(demotePeer))
    }
}
