import AxonTesting
import EventAuth
import MatrixTypes
import Testing

/// `m.federate` and the authorising server's signature, at each boundary where Synapse 1.163 decides: an event one
/// server accepts and the other refuses splits the room.
@Suite("m.federate and restricted-join signatures")
struct FederationRuleTests {
    let alice = EventDAGUsers.alice
    let bob = EventDAGUsers.bob
    let carol = EventDAGUsers.carol
    let dave = EventDAGUsers.dave

    /// Only an absent or `true` `m.federate` lets other servers in; Synapse reads `0`, `"false"` and `null` as `false`.
    @Test(arguments: [(JSONValue.bool(false), false), (.bool(true), true), (.integer(0), false), (.integer(1), false),
                      (.string("false"), false), (.string("true"), false), (.null, false)])
    func onlyTrueFederates(federate: JSONValue, federates: Bool) throws {
        var dag = try unfederatedRoom(.v10, federate: federate)
        let local = try dag.member(dave, Membership.join)
        #expect(dag.accepted(local))
        let remote = try dag.member(bob, Membership.join)
        #expect(dag.accepted(remote) == federates)
    }

    /// The target of a membership change counts too: a local member may not invite, kick or ban a remote user.
    @Test(arguments: [Membership.invite, Membership.ban, Membership.leave])
    func membershipOfARemoteUserIsRefused(membership: String) throws {
        var dag = try unfederatedRoom(.v10, federate: false)
        let change = try dag.member(bob, membership, by: alice)
        #expect(!dag.accepted(change))
        let local = try dag.member(dave, membership, by: alice)
        #expect(dag.accepted(local))
    }

    /// A membership state key that is not a user ID (no `:`) has no server, and Synapse refuses the event.
    @Test(arguments: ["notauser", "@nocolon", "@\u{E9}"])
    func aMembershipStateKeyNeedsAServer(stateKey: String) throws {
        var dag = try EventDAG.authorizedRoom(version: .v10)
        let invite = try dag.send(EventType.member, stateKey: stateKey, from: alice, content: ["membership": "invite"])
        #expect(!dag.accepted(invite))
    }

    /// From room v8 a join carrying `join_authorised_via_users_server` needs that user's server's signature,
    /// whatever the join rule (knock_restricted too); the server is whatever follows the first `:`, as Synapse reads it.
    @Test(arguments: [RoomVersion.v7, .v8, .v10, .v12])
    func anAuthorisingUsersServerMustSign(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version, members: [bob])
        try dag.joinRule(version.authRules.allowsKnockRestrictedJoins ? JoinRule.knockRestricted : JoinRule.invite, by: alice)
        let viaBob = try dag.member(carol, Membership.join, extraContent: ["join_authorised_via_users_server": .string(bob.rawValue)])
        let notAUserID = try dag.member(carol, Membership.join, extraContent: ["join_authorised_via_users_server": "x:b.example"])
        let required = version.authRules.allowsRestrictedJoins ? [carol.serverName, bob.serverName] : [carol.serverName]
        #expect(try EventAuthorizer.requiredSignatureServers(for: viaBob) == Set(required))
        #expect(try EventAuthorizer.requiredSignatureServers(for: notAUserID) == Set(required))
    }

    /// A value that names no server cannot be satisfied by any signature (v8+), and is ignored before v8.
    @Test(arguments: [RoomVersion.v7, .v8, .v10])
    func anAuthoriserWithoutAServerIsRefused(version: RoomVersion) throws {
        var dag = try EventDAG.authorizedRoom(version: version)
        for value: JSONValue in ["notauser", .null, .integer(5), "@b:bad server"] {
            let join = try dag.member(carol, Membership.join, extraContent: ["join_authorised_via_users_server": value])
            if version.authRules.allowsRestrictedJoins {
                #expect(throws: AuthorizationError.self) { try EventAuthorizer.requiredSignatureServers(for: join) }
            } else {
                #expect(try EventAuthorizer.requiredSignatureServers(for: join) == [carol.serverName])
            }
        }
    }

    /// Synapse lets any server send an invite made from a third-party invite, so the sender's server need not sign.
    @Test func aThirdPartyInviteNeedsNoSenderSignature() throws {
        var dag = try EventDAG.authorizedRoom(version: .v10)
        let invite = try dag.send(EventType.member, stateKey: bob.rawValue, from: alice, content: [
            "membership": "invite", "third_party_invite": ["display_name": "b", "signed": ["mxid": .string(bob.rawValue), "token": "t"]],
        ])
        #expect(try EventAuthorizer.requiredSignatureServers(for: invite).isEmpty)
        let plainInvite = try dag.member(bob, Membership.invite, by: alice)
        #expect(try EventAuthorizer.requiredSignatureServers(for: plainInvite) == [alice.serverName])
    }

    /// A public room created by Alice whose create event sets `m.federate` to `federate`.
    private func unfederatedRoom(_ version: RoomVersion, federate: JSONValue) throws -> EventDAG {
        var dag = EventDAG(version: version, authorizer: EventDAG.authRules)
        try dag.create(by: alice, extraContent: ["m.federate": federate])
        try dag.member(alice, Membership.join)
        try dag.joinRule(JoinRule.public, by: alice)
        return dag
    }
}
