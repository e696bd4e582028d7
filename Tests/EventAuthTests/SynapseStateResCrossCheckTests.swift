import EventAuth
import MatrixCrypto
import MatrixTypes
import Testing

/// Agreement with Synapse's state resolution (v1, v2, v2.1) on rooms whose DAG forks and merges repeatedly, with
/// stale auth events and events one server rejected but another holds in its state.
@Suite("Synapse cross-check: state resolution")
struct SynapseStateResCrossCheckTests {
    struct Merge: Sendable {
        let stateSets: [[[String]]]
        let resolved: [[String]]
    }

    struct DAG: Sendable, CustomTestStringConvertible {
        let index: Int
        let room: SynapseFixtureRoom
        let merges: [Merge]

        var testDescription: String { "DAG \(index) (room v\(room.version))" }
    }

    static let dags: [DAG] = (SynapseFixtureRoom.parse(SynapseStateResFixtures.json).arrayValue ?? [])
        .enumerated()
        .compactMap { index, entry in
            guard let room = SynapseFixtureRoom(entry), let merges = entry["merges"]?.arrayValue else { return nil }
            return DAG(index: index, room: room, merges: merges.map { merge in
                Merge(
                    stateSets: (merge["state_sets"]?.arrayValue ?? []).map(Self.strings),
                    resolved: Self.strings(merge["resolved"] ?? [])
                )
            })
        }

    private static func strings(_ value: JSONValue) -> [[String]] {
        (value.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) }
    }

    static func stateMap(_ entries: [[String]]) throws -> StateMap {
        var state: StateMap = [:]
        for entry in entries where entry.count == 3 {
            state[StateKey(entry[0], entry[1])] = try EventID(entry[2])
        }
        return state
    }

    @Test func fixturesCoverEveryAlgorithm() {
        let versions = Self.dags.map(\.room.version)
        #expect(versions.filter { $0.stateResolution == .v1 }.count >= 3)
        #expect(versions.filter { $0.stateResolution == .v2 }.count >= 30)
        #expect(versions.filter { $0.stateResolution == .v2_1 }.count >= 30)
        #expect(Set(versions) == Set(RoomVersion.all))
    }

    @Test(arguments: dags)
    func resolvesAsSynapseDoes(dag: DAG) throws {
        #expect(try dag.room.decodedEvents().map(\.eventID.rawValue) == dag.room.eventIDs)
        let provider = try dag.room.provider()
        for (number, merge) in dag.merges.enumerated() {
            let stateSets = try merge.stateSets.map(Self.stateMap)
            let resolved = StateResolution.resolve(stateSets, version: dag.room.version, events: provider)
            let expected = try Self.stateMap(merge.resolved)
            #expect(resolved == expected, "merge \(number): \(Self.differences(resolved, expected))")
        }
    }

    private static func differences(_ actual: StateMap, _ expected: StateMap) -> String {
        Set(actual.keys).union(expected.keys).sorted()
            .filter { actual[$0] != expected[$0] }
            .map { "\($0): Axon \(actual[$0]?.rawValue ?? "none"), Synapse \(expected[$0]?.rawValue ?? "none")" }
            .joined(separator: "; ")
    }
}
