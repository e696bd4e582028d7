import EventAuth
import MatrixCrypto
import MatrixTypes
import Testing

/// Agreement with Synapse's authorisation checks on candidate events in rooms of every version: joins, invites,
/// knocks, kicks, bans, power level changes, third-party invites, aliases, redactions, malformed auth events,
/// create events and v12 creators.
@Suite("Synapse cross-check: auth rules")
struct SynapseAuthCrossCheckTests {
    struct Case: Sendable {
        let room: Int
        let label: String
        let event: String
        let eventID: String?
        let allowed: Bool
        let synapseReason: String
    }

    static let fixture = SynapseFixtureRoom.parse(SynapseAuthFixtures.json)
    static let rooms = (fixture["rooms"]?.arrayValue ?? []).compactMap(SynapseFixtureRoom.init)
    static let cases: [Case] = (fixture["cases"]?.arrayValue ?? []).compactMap { entry in
        guard let room = entry["room"]?.integerValue, let label = entry["label"]?.stringValue,
              let event = entry["event"]?.stringValue, let allowed = entry["allowed"]?.boolValue
        else { return nil }
        return Case(
            room: Int(room), label: label, event: event, eventID: entry["event_id"]?.stringValue, allowed: allowed,
            synapseReason: entry["synapse_reason"]?.stringValue ?? ""
        )
    }

    @Test func fixturesCoverEveryRoomVersion() {
        #expect(Self.cases.count >= 1000)
        #expect(Set(Self.rooms.map(\.version)) == Set(RoomVersion.all))
        #expect(Self.cases.contains { $0.allowed } && Self.cases.contains { !$0.allowed })
        let creatorCases = Self.cases.filter { testCase in
            Self.rooms[testCase.room].version == .v12
                && (testCase.label.contains("@zara") || testCase.label.contains("users.@alice"))
        }
        #expect(creatorCases.count >= 10)
    }

    @Test(arguments: RoomVersion.all)
    func roomEventsGetSynapsesIDs(version: RoomVersion) throws {
        for room in Self.rooms where room.version == version {
            #expect(try room.decodedEvents().map(\.eventID.rawValue) == room.eventIDs)
        }
    }

    @Test(arguments: RoomVersion.all)
    func decisionsAgreeWithSynapse(version: RoomVersion) throws {
        for (index, room) in Self.rooms.enumerated() where room.version == version {
            let provider = try room.provider()
            for testCase in Self.cases where testCase.room == index {
                let verdict = Self.authorize(testCase, in: room, provider: provider)
                #expect(
                    verdict.allowed == testCase.allowed,
                    "v\(version) \(testCase.label): Synapse \(testCase.allowed ? "allows" : "refuses (\(testCase.synapseReason))"), Axon \(verdict.reason)"
                )
            }
        }
    }

    /// An event Axon cannot decode counts as refused, as Synapse counts events it cannot parse.
    static func authorize(_ testCase: Case, in room: SynapseFixtureRoom, provider: EventDictionary) -> (allowed: Bool, reason: String) {
        let event: PDU
        do {
            event = try PDU(bytes: Array(testCase.event.utf8), version: room.version)
        } catch {
            return (false, "cannot decode it: \(error)")
        }
        if let expectedID = testCase.eventID, expectedID != event.eventID.rawValue {
            return (!testCase.allowed, "derives event ID \(event.eventID), not \(expectedID)")
        }
        do {
            try EventAuthorizer.authorize(event, using: provider)
            return (true, "allows")
        } catch {
            return (false, "refuses: \(error.message)")
        }
    }
}
