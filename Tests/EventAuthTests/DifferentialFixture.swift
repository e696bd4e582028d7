import AxonTesting
import EventAuth
import Foundation
import MatrixCrypto
import MatrixTypes
import Testing

/// The differential fixtures written by `Tests/tools/generate-differential-fixtures.py` (`make fixtures`): random
/// rooms whose events carry Synapse's verdicts, and merges with Synapse's state resolution.
///
/// Read at test time from `Differential/synapse-differential.json`, so the fixtures cost no compile time.
struct DifferentialFixture: Sendable {
    let servers: Set<String>
    let verifyKey: VerifyKey
    let rooms: [DifferentialRoom]

    static let shared: DifferentialFixture = {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Tests/EventAuthTests/Differential/synapse-differential.json")
        guard let data = try? Data(contentsOf: url), let json = try? JSONValue.parse(Array(data)),
              let fixture = DifferentialFixture(json)
        else { preconditionFailure("cannot read \(url.path); run `make fixtures`") }
        return fixture
    }()

    init?(_ json: JSONValue) {
        guard let servers = json["servers"]?.arrayValue?.compactMap(\.stringValue),
              let key = json["verify_key"]?.stringValue.flatMap({ try? VerifyKey(keyID: "ed25519:1", base64: $0) }),
              let rooms = json["rooms"]?.arrayValue
        else { return nil }
        self.servers = Set(servers)
        verifyKey = key
        self.rooms = rooms.enumerated().compactMap { DifferentialRoom(index: $0.offset, json: $0.element) }
    }
}

/// One generated room: every event recorded, the ones Synapse stored (rejected or not), and the merges.
struct DifferentialRoom: Sendable, CustomTestStringConvertible {
    let index: Int
    let version: RoomVersion
    let events: [DifferentialEvent]
    let merges: [DifferentialMerge]

    var testDescription: String { "room \(index) (v\(version))" }

    init?(index: Int, json: JSONValue) {
        guard let version = json["version"]?.stringValue.flatMap(RoomVersion.init(identifier:)),
              let events = json["events"]?.arrayValue?.compactMap(DifferentialEvent.init),
              let merges = json["merges"]?.arrayValue
        else { return nil }
        self.index = index
        self.version = version
        self.events = events
        self.merges = merges.compactMap { DifferentialMerge($0, events: events) }
    }

    /// The events Synapse stored, decoded by Axon, with Synapse's rejections.
    func provider() -> EventDictionary {
        var provider = EventDictionary()
        for event in events where event.stored {
            guard let pdu = try? PDU(bytes: Array(event.json.utf8), version: version) else { continue }
            provider.insert(pdu, rejected: event.allowed == false)
        }
        return provider
    }
}

/// Synapse's verdicts on one event, from the bytes as sent.
struct DifferentialEvent: Sendable {
    let json: String
    let parsed: Bool
    let canonical: String
    let redacted: String
    let eventID: String?
    let contentHash: String?
    let signaturesOK: Bool?
    let allowed: Bool?
    let stored: Bool
    let synapseReason: String

    init?(_ entry: JSONValue) {
        guard let json = entry["json"]?.stringValue, let parsed = entry["parsed"]?.boolValue else { return nil }
        self.json = json
        self.parsed = parsed
        // Left out of the file when equal to the bytes as sent (canonical) or to the canonical form (redacted).
        canonical = entry["canonical"]?.stringValue ?? json
        redacted = entry["redacted"]?.stringValue ?? canonical
        eventID = entry["event_id"]?.stringValue
        contentHash = entry["content_hash"]?.stringValue
        signaturesOK = entry["signatures_ok"]?.boolValue
        allowed = entry["allowed"]?.boolValue
        stored = entry["stored"]?.boolValue ?? false
        synapseReason = entry["why"]?.stringValue ?? ""
    }
}

/// The state sets at a merge and what Synapse resolves them to with each algorithm it was asked for
/// (the room's own, plus the other of v2 and v2.1 for rooms v10–v12).
struct DifferentialMerge: Sendable {
    let stateSets: [StateMap]
    let resolved: [StateResolutionAlgorithm: StateMap]

    init?(_ json: JSONValue, events: [DifferentialEvent]) {
        func state(_ value: JSONValue?) -> StateMap? {
            guard let entries = value?.arrayValue else { return nil }
            var map: StateMap = [:]
            for entry in entries {
                guard let type = entry[0]?.stringValue, let key = entry[1]?.stringValue,
                      let index = entry[2]?.integerValue, events.indices.contains(Int(index)),
                      let id = events[Int(index)].eventID.flatMap({ try? EventID($0) })
                else { return nil }
                map[StateKey(type, key)] = id
            }
            return map
        }
        guard let sets = json["sets"]?.arrayValue else { return nil }
        stateSets = sets.compactMap(state)
        var resolved: [StateResolutionAlgorithm: StateMap] = [:]
        for (name, algorithm) in [("v1", StateResolutionAlgorithm.v1), ("v2", .v2), ("v21", .v2_1)] {
            if let map = state(json[name]) { resolved[algorithm] = map }
        }
        guard stateSets.count == sets.count, !resolved.isEmpty else { return nil }
        self.resolved = resolved
    }
}
