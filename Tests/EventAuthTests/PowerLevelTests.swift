import AxonTesting
@testable import EventAuth
import MatrixTypes
import Testing

@Suite("Power levels")
struct PowerLevelTests {
    @Test(arguments: [
        (JSONValue.integer(50), RoomVersion.v9, Int64?.some(50)), (" +050 ", .v9, 50), ("-7", .v9, -7), ("5 0", .v9, nil),
        ("1.5", .v9, nil), ("", .v9, nil), ("99999999999999999999", .v9, nil), (50.9, .v1, 50), (-50.9, .v1, -50),
        (true, .v9, 1), (false, .v1, 0), (true, .v10, nil), ("\u{663}", .v9, 3), ("1_0", .v9, 10), ("1__0", .v9, nil),
        ("\u{A0}-7\u{3000}", .v9, -7), ("\u{1C}5", .v9, nil), ("5\u{301}", .v9, nil), ("50", .v10, nil),
        (50.0, .v10, nil), (50, .v10, 50),
    ])
    func readsValuesAsTheVersionAllows(value: JSONValue, version: RoomVersion, expected: Int64?) {
        #expect(PowerLevelValue.parse(value, version: version) == expected)
    }

    @Test func withoutAPowerLevelsEventTheCreatorHas100() throws {
        var dag = EventDAG(version: .v10)
        try dag.create(by: EventDAGUsers.alice)
        let levels = RoomPowerLevels(state: try Self.state(of: dag), version: .v10)
        #expect(levels.userLevel(EventDAGUsers.alice.rawValue) == 100)
        #expect(levels.userLevel(EventDAGUsers.bob.rawValue) == 0)
        #expect(levels.requiredLevel(eventType: "m.room.name", isState: true) == 50)
        #expect(levels.requiredLevel(eventType: "m.room.message", isState: false) == 0)
        #expect([levels.ban, levels.kick, levels.redact, levels.invite] == [50, 50, 50, 0])
        #expect(levels.notificationLevel("room") == 50)
    }

    @Test func readsThePowerLevelsEvent() throws {
        var dag = EventDAG(version: .v10)
        try dag.create()
        try dag.powerLevels([EventDAGUsers.bob: 75], by: EventDAGUsers.alice, extraContent: [
            "users_default": 10, "events": ["m.room.name": 20], "state_default": 60, "events_default": 5,
            "ban": 1, "kick": 2, "redact": 3, "invite": 4, "notifications": ["room": 7],
        ])
        let levels = RoomPowerLevels(state: try Self.state(of: dag), version: .v10)
        #expect(levels.userLevel(EventDAGUsers.bob.rawValue) == 75)
        #expect(levels.userLevel(EventDAGUsers.alice.rawValue) == 10)
        #expect(levels.requiredLevel(eventType: "m.room.name", isState: true) == 20)
        #expect(levels.requiredLevel(eventType: "m.room.topic", isState: true) == 60)
        #expect(levels.requiredLevel(eventType: "m.room.message", isState: false) == 5)
        #expect([levels.ban, levels.kick, levels.redact, levels.invite] == [1, 2, 3, 4])
        #expect(levels.notificationLevel("room") == 7)
    }

    @Test func v12CreatorsHaveInfinitePower() throws {
        var dag = EventDAG(version: .v12)
        try dag.create(by: EventDAGUsers.alice, additionalCreators: [EventDAGUsers.bob])
        try dag.powerLevels([EventDAGUsers.carol: 100], by: EventDAGUsers.alice)
        let levels = RoomPowerLevels(state: try Self.state(of: dag), version: .v12)
        #expect(levels.creators == [EventDAGUsers.alice, EventDAGUsers.bob])
        #expect(levels.userLevel(EventDAGUsers.alice.rawValue) == RoomPowerLevels.creatorLevel)
        #expect(levels.userLevel(EventDAGUsers.bob.rawValue) == RoomPowerLevels.creatorLevel)
        #expect(levels.userLevel(EventDAGUsers.carol.rawValue) == 100)
    }

    @Test func creatorsBeforeV12AreOrdinaryOnceLevelsExist() throws {
        var dag = EventDAG(version: .v11)
        try dag.create(by: EventDAGUsers.alice)
        try dag.powerLevels([EventDAGUsers.bob: 100], by: EventDAGUsers.alice)
        let levels = RoomPowerLevels(state: try Self.state(of: dag), version: .v11)
        #expect(levels.creators.isEmpty)
        #expect(levels.userLevel(EventDAGUsers.alice.rawValue) == 0)
    }

    static func state(of dag: EventDAG) throws -> [StateKey: PDU] {
        dag.state().compactMapValues { dag.event(withID: $0) }
    }
}
