import AxonTesting
import EventAuth
import MatrixTypes
import Testing

/// Before room v10 a first power levels event may hold values that are not numbers (only `users` is checked).
/// Synapse reads each level with Python's `int()` when a rule needs it and refuses the event when that fails, so
/// Axon must refuse exactly the events whose rules read such a level, or the room splits.
@Suite("Power levels Synapse cannot read")
struct UnreadablePowerLevelTests {
    let alice = EventDAGUsers.alice
    let bob = EventDAGUsers.bob
    let carol = EventDAGUsers.carol

    /// An unreadable `events` entry refuses events of that type only.
    @Test func anUnreadableEventLevelRefusesThatType() throws {
        var dag = try room(["events": ["m.room.message": "abc"]])
        let message = try dag.message("hi", from: bob)
        #expect(!dag.accepted(message))
        let topic = try dag.send("m.room.topic", stateKey: "", from: alice, content: ["topic": "t"])
        #expect(dag.accepted(topic))
    }

    /// `ban` and `invite` are read for every membership change, so an unreadable one refuses them all.
    @Test(arguments: ["ban", "invite"])
    func anUnreadableMembershipLevelRefusesMembershipChanges(name: String) throws {
        var dag = try room([name: [1]])
        let join = try dag.member(carol, Membership.join)
        #expect(!dag.accepted(join))
        let message = try dag.message("hi", from: bob)
        #expect(dag.accepted(message))
    }

    /// `null` reads as the default for named levels and `users_default`, but not for the send-level defaults.
    @Test func nullIsTheDefaultExceptForSendLevelDefaults() throws {
        var dag = try room(["ban": .null, "users_default": .null, "events_default": .null])
        let join = try dag.member(carol, Membership.join)
        #expect(dag.accepted(join))
        let message = try dag.message("hi", from: carol)
        #expect(!dag.accepted(message))
    }

    /// An unreadable `users_default` refuses what reads the level of a user without an entry.
    @Test func anUnreadableUsersDefaultRefusesUsersWithoutAnEntry() throws {
        var dag = try room(["users_default": "x"])
        let listed = try dag.message("hi", from: bob)
        #expect(dag.accepted(listed))
        let unlisted = try dag.member(carol, Membership.join)
        #expect(!dag.accepted(unlisted))
    }

    /// A v9 room where Bob joined before Alice's power levels event gave him 50, with `extra` in that event.
    private func room(_ extra: JSONObject) throws -> EventDAG {
        var dag = EventDAG(version: .v9, authorizer: EventDAG.authRules)
        try dag.create(by: alice)
        try dag.member(alice, Membership.join)
        try dag.joinRule(JoinRule.public, by: alice)
        try dag.member(bob, Membership.join)
        let levels = try dag.powerLevels([alice: 100, bob: 50], by: alice, extraContent: extra)
        try #require(dag.accepted(levels))
        return dag
    }
}
