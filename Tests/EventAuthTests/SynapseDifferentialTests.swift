@testable import EventAuth
import MatrixCrypto
import MatrixTypes
import Testing

/// Differential tests against Synapse 1.163 on randomly generated rooms (see ``DifferentialFixture``): every event's
/// parse verdict, canonical bytes, content hash, event ID and redacted form, its signature and auth verdicts, and
/// the state every merge resolves to. Every comparison is of bytes, never of `String ==`.
@Suite("Synapse differential")
struct SynapseDifferentialTests {
    static let fixture = DifferentialFixture.shared
    static let rooms = fixture.rooms.map(\.index)

    @Test func fixturesCoverWhatTheyMustCover() {
        let rooms = Self.fixture.rooms
        #expect(rooms.count >= 50)
        #expect(Set(rooms.map(\.version)).isSuperset(of: [.v1, .v2, .v5, .v6, .v7, .v8, .v10, .v11, .v12]))
        let events = rooms.flatMap(\.events)
        #expect(events.count >= 1000)
        #expect(events.contains { !$0.parsed } && events.contains { $0.signaturesOK == false })
        #expect(events.contains { $0.allowed == true } && events.contains { $0.allowed == false })
        let differing = rooms.flatMap(\.merges).filter { merge in
            guard let v2 = merge.resolved[.v2], let v21 = merge.resolved[.v2_1] else { return false }
            return v2 != v21
        }
        #expect(differing.count >= 30)
    }

    /// Whether it parses, and the canonical bytes, content hash, event ID and redacted form of what does.
    @Test(arguments: rooms)
    func eventsParseAndHashAsInSynapse(room index: Int) {
        let room = Self.fixture.rooms[index]
        for (position, expected) in room.events.enumerated() {
            let label = "\(room.testDescription) event \(position)"
            let pdu: PDU
            do {
                pdu = try PDU(bytes: Array(expected.json.utf8), version: room.version)
            } catch {
                #expect(!expected.parsed, "\(label): Synapse parses it, Axon refuses: \(error)")
                continue
            }
            guard expected.parsed else {
                Issue.record("\(label): Synapse refuses it (\(expected.synapseReason)), Axon parses it")
                continue
            }
            let canonical = Self.canonicalBytes(pdu.json, version: room.version)
            #expect(canonical == Array(expected.canonical.utf8), "\(label): canonical bytes \(Self.text(canonical))")
            let hash = (try? EventHashes.contentHash(of: pdu.json)).map { UnpaddedBase64.encode($0) }
            #expect(hash.map { Array($0.utf8) } == expected.contentHash.map { Array($0.utf8) }, "\(label): content hash")
            #expect(Array(pdu.eventID.rawValue.utf8) == expected.eventID.map { Array($0.utf8) }, "\(label): event ID")
            let redacted = (try? EventRedaction.redact(pdu.json, rules: room.version.redactionRules))
                .flatMap { Self.canonicalBytes($0, version: room.version) }
            #expect(redacted == Array(expected.redacted.utf8), "\(label): redacted form \(Self.text(redacted))")
        }
    }

    /// Whether the event is signed by every server Synapse's signature rules require (the sender's server except for
    /// an invite from a third-party invite, the event ID's server in rooms v1–v2, the authorising user's server of a
    /// restricted join from v8), with the generator's one key for each known server.
    @Test(arguments: rooms)
    func signatureRulesAgreeWithSynapse(room index: Int) {
        let room = Self.fixture.rooms[index]
        for (position, expected) in room.events.enumerated() {
            guard let synapseVerdict = expected.signaturesOK,
                  let pdu = try? PDU(bytes: Array(expected.json.utf8), version: room.version)
            else { continue }
            let verdict: Bool
            do {
                let servers = try EventAuthorizer.requiredSignatureServers(for: pdu)
                verdict = servers.allSatisfy { server in
                    Self.fixture.servers.contains(server.rawValue)
                        && (try? Self.fixture.verifyKey.verify(event: pdu.json, signedBy: server.rawValue, version: room.version)) != nil
                }
            } catch {
                verdict = false
            }
            #expect(verdict == synapseVerdict, "\(room.testDescription) event \(position): Synapse \(synapseVerdict ? "accepts" : "refuses") its signatures")
        }
    }

    /// The auth rules against the event's own auth events.
    @Test(arguments: rooms)
    func authorizationAgreesWithSynapse(room index: Int) {
        let room = Self.fixture.rooms[index]
        let provider = room.provider()
        for (position, expected) in room.events.enumerated() {
            guard let allowed = expected.allowed, let pdu = try? PDU(bytes: Array(expected.json.utf8), version: room.version)
            else { continue }
            var axon = (allows: true, reason: "allows")
            do {
                try EventAuthorizer.authorize(pdu, using: provider)
            } catch {
                axon = (false, "refuses: \(error.message)")
            }
            #expect(
                axon.allows == allowed,
                "\(room.testDescription) event \(position) \(pdu.type): Synapse \(allowed ? "allows" : "refuses (\(expected.synapseReason))"), Axon \(axon.reason)"
            )
        }
    }

    /// Each merge with the room's algorithm, and in rooms v10–v12 with both v2 and v2.1.
    @Test(arguments: rooms.filter { !fixture.rooms[$0].merges.isEmpty })
    func stateResolutionAgreesWithSynapse(room index: Int) {
        let room = Self.fixture.rooms[index]
        let provider = room.provider()
        for (position, merge) in room.merges.enumerated() {
            for (algorithm, expected) in merge.resolved {
                let resolved = Self.resolve(merge.stateSets, algorithm: algorithm, version: room.version, events: provider)
                #expect(resolved == expected, "\(room.testDescription) merge \(position) (\(algorithm)): \(Self.difference(resolved, expected))")
            }
        }
    }

    static func resolve(_ sets: [StateMap], algorithm: StateResolutionAlgorithm, version: RoomVersion, events: EventDictionary) -> StateMap {
        let graph = EventGraph(events)
        switch algorithm {
        case .v1: return StateResolutionV1(version: version, graph: graph).resolve(sets)
        case .v2: return StateResolutionV2(version: version, graph: graph, replaysFromEmptyState: false).resolve(sets)
        case .v2_1: return StateResolutionV2(version: version, graph: graph, replaysFromEmptyState: true).resolve(sets)
        }
    }

    static func difference(_ actual: StateMap, _ expected: StateMap) -> String {
        let keys = Set(actual.keys).union(expected.keys).filter { actual[$0] != expected[$0] }.sorted()
        return keys.map { "\($0): Axon \(actual[$0]?.rawValue ?? "-"), Synapse \(expected[$0]?.rawValue ?? "-")" }
            .joined(separator: "; ")
    }

    /// Synapse's canonical bytes for an event of `version`: strict canonical JSON from v6, its legacy form before.
    static func canonicalBytes(_ json: JSONValue, version: RoomVersion) -> [UInt8]? {
        try? json.canonicalEncoded(for: version)
    }

    /// Bytes as text, for failure messages only.
    static func text(_ bytes: [UInt8]?) -> String {
        bytes.map { String(decoding: $0, as: UTF8.self) } ?? "nothing"
    }
}
