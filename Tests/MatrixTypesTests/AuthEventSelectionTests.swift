import MatrixTypes
import Testing

@Suite("Auth event selection")
struct AuthEventSelectionTests {
    static let alice = try! UserID("@alice:example.org")

    static func keys(
        type: String = EventType.member,
        stateKey: String? = "@bob:example.org",
        content: JSONValue,
        version: RoomVersion = .v10
    ) -> Set<StateKey> {
        AuthEventSelection.stateKeys(type: type, sender: alice, stateKey: stateKey, content: content, version: version)
    }

    @Test func createEventHasNoAuthEvents() {
        #expect(Self.keys(type: EventType.create, stateKey: "", content: [:]).isEmpty)
    }

    @Test func everyEventNeedsCreatePowerLevelsAndSender() {
        #expect(Self.keys(type: "m.room.message", stateKey: nil, content: [:]) == [.create, .powerLevels, .member("@alice:example.org")])
    }

    @Test func v12NeverSelectsTheCreateEvent() {
        #expect(Self.keys(type: "m.room.message", stateKey: nil, content: [:], version: .v12) == [.powerLevels, .member("@alice:example.org")])
    }

    @Test(arguments: [Membership.join, Membership.invite, Membership.knock])
    func membershipsThatNeedJoinRules(membership: String) {
        let keys = Self.keys(content: ["membership": .string(membership)])
        #expect(keys == [.create, .powerLevels, .member("@alice:example.org"), .member("@bob:example.org"), .joinRules])
    }

    @Test(arguments: [Membership.leave, Membership.ban])
    func membershipsWithoutJoinRules(membership: String) {
        #expect(!Self.keys(content: ["membership": .string(membership)]).contains(.joinRules))
    }

    @Test func thirdPartyInviteSelectsTheTokenEvent() {
        let content: JSONValue = ["membership": "invite", "third_party_invite": ["signed": ["token": "abc"]]]
        #expect(Self.keys(content: content).contains(StateKey(EventType.thirdPartyInvite, "abc")))
        #expect(!Self.keys(content: ["membership": "invite", "third_party_invite": [:]]).contains { $0.type == EventType.thirdPartyInvite })
    }

    @Test func restrictedJoinsSelectTheAuthorisingUserFromV8() {
        let content: JSONValue = ["membership": "join", "join_authorised_via_users_server": "@carol:example.org"]
        #expect(Self.keys(stateKey: "@alice:example.org", content: content, version: .v8).contains(.member("@carol:example.org")))
        #expect(!Self.keys(stateKey: "@alice:example.org", content: content, version: .v7).contains(.member("@carol:example.org")))
    }

    @Test func picksSortedIDsFromState() throws {
        let state: StateMap = [
            .create: try EventID("$c:x"), .powerLevels: try EventID("$b:x"), .joinRules: try EventID("$a:x"),
            StateKey("m.room.name", ""): try EventID("$n:x"),
        ]
        let ids = AuthEventSelection.authEventIDs(
            type: "m.room.message", sender: Self.alice, stateKey: nil, content: [:], version: .v2, state: state
        )
        #expect(ids.map(\.rawValue) == ["$b:x", "$c:x"])
    }
}
