import MatrixCrypto
import MatrixTypes
import Testing

/// Byte-for-byte agreement with an independent implementation (Synapse) on seeded random events of every room
/// version: canonical JSON, content hash, reference hash, event ID, redaction and signing. Events of rooms v1–v5
/// carry floats and integers beyond 2^53, written as Synapse writes them.
@Suite("Synapse cross-check")
struct SynapseCrossCheckTests {
    struct Fixture: Sendable, CustomTestStringConvertible {
        let roomVersion: RoomVersion
        let event: String
        let contentHash: String
        let referenceHash: String
        let eventID: String
        let redacted: String
        let signed: String

        var testDescription: String { "v\(roomVersion.identifier) \(eventID)" }
    }

    /// An event at one of the limits Synapse enforces when it builds an event; `eventID` is `nil` when it refuses it.
    struct Verdict: Sendable, CustomTestStringConvertible {
        let roomVersion: RoomVersion
        let limit: String
        let event: String
        let eventID: String?

        var testDescription: String { "v\(roomVersion.identifier) \(limit)" }
    }

    static let fixtures: [Fixture] = {
        guard case .array(let entries) = try? JSONValue.parse(SynapseEventFixtures.json) else { return [] }
        return entries.compactMap { entry in
            guard let version = entry["room_version"]?.stringValue.flatMap(RoomVersion.init(identifier:)),
                  let event = entry["event"]?.stringValue, let contentHash = entry["content_hash"]?.stringValue,
                  let referenceHash = entry["reference_hash"]?.stringValue, let eventID = entry["event_id"]?.stringValue,
                  let redacted = entry["redacted"]?.stringValue, let signed = entry["signed"]?.stringValue
            else { return nil }
            return Fixture(
                roomVersion: version, event: event, contentHash: contentHash, referenceHash: referenceHash,
                eventID: eventID, redacted: redacted, signed: signed
            )
        }
    }()

    static let verdicts: [Verdict] = {
        guard case .array(let entries) = try? JSONValue.parse(SynapseEventFixtures.verdicts) else { return [] }
        return entries.compactMap { entry in
            guard let version = entry["room_version"]?.stringValue.flatMap(RoomVersion.init(identifier:)),
                  let limit = entry["case"]?.stringValue, let event = entry["event"]?.stringValue
            else { return nil }
            return Verdict(roomVersion: version, limit: limit, event: event, eventID: entry["event_id"]?.stringValue)
        }
    }()

    @Test func fixturesCoverEveryRoomVersion() {
        #expect(Self.fixtures.count == 360)
        #expect(Set(Self.fixtures.map(\.roomVersion)) == Set(RoomVersion.all))
        #expect(Self.verdicts.count == 14 * RoomVersion.all.count)
    }

    /// Legacy numbers must actually occur, or the v1–v5 fixtures would not test them.
    @Test func legacyFixturesHoldFloatsAndLargeIntegers() {
        let legacy = Self.fixtures.filter { !$0.roomVersion.requiresCanonicalJSON }.compactMap { try? JSONValue.parse($0.event) }
        #expect(legacy.contains { $0.holds { if case .double = $0 { true } else { false } } })
        #expect(legacy.contains { $0.holds { if case .bigInteger = $0 { true } else { false } } })
        #expect(legacy.contains { $0.holds { $0.integerValue.map { !JSONValue.canonicalIntegerRange.contains($0) } ?? false } })
    }

    @Test(arguments: fixtures)
    func agreesWithSynapse(fixture: Fixture) throws {
        let version = fixture.roomVersion
        let event = try JSONValue.parse(fixture.event, options: version.eventParseOptions)
        #expect(try event.canonicalEncoded(for: version) == Array(fixture.event.utf8))
        #expect(UnpaddedBase64.encode(try EventHashes.contentHash(of: event)) == fixture.contentHash)
        #expect(UnpaddedBase64.encode(try EventHashes.referenceHash(of: event, version: version)) == fixture.referenceHash)
        #expect(Array(try EventHashes.eventID(of: event, version: version).rawValue.utf8) == Array(fixture.eventID.utf8))
        let redacted = try EventRedaction.redact(event, rules: version.redactionRules)
        #expect(try redacted.canonicalEncoded(for: version) == Array(fixture.redacted.utf8))
        let signed = try SpecSigningKey.key().hashAndSign(event: event, as: "domain", version: version)
        #expect(try signed.canonicalEncoded(for: version) == Array(fixture.signed.utf8))
        try SpecSigningKey.key().verifyKey.verify(event: try JSONValue.parse(fixture.signed), signedBy: "domain", version: version)
    }

    /// Both servers must accept and refuse the same events, or a room splits: floats and integers beyond 2^53 only
    /// before v6, nesting at most 127 levels everywhere. Accepted events get Synapse's event ID and verify.
    @Test(arguments: verdicts)
    func acceptsWhatSynapseAccepts(verdict: Verdict) throws {
        let version = verdict.roomVersion
        let bytes = Array(verdict.event.utf8)
        guard let expectedID = verdict.eventID else {
            #expect(throws: PDUDecodingError.self) { try PDU(bytes: bytes, version: version) }
            return
        }
        let event = try PDU(bytes: bytes, version: version)
        #expect(Array(event.eventID.rawValue.utf8) == Array(expectedID.utf8))
        #expect(try event.json.canonicalEncoded(for: version) == bytes)
        #expect(EventHashes.hasValidContentHash(event.json))
        try SpecSigningKey.key().verifyKey.verify(event: event.json, signedBy: "domain", version: version)
    }
}

extension JSONValue {
    fileprivate func holds(_ matches: (JSONValue) -> Bool) -> Bool {
        if matches(self) { return true }
        switch self {
        case .array(let elements): return elements.contains { $0.holds(matches) }
        case .object(let members): return members.contains { $0.value.holds(matches) }
        default: return false
        }
    }
}
