import MatrixCrypto
import MatrixTypes
import Testing

/// Byte-for-byte agreement with an independent implementation (Synapse) on seeded random events of every room
/// version: canonical JSON, content hash, reference hash, event ID, redaction and signing.
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

    @Test func fixturesCoverEveryRoomVersion() {
        #expect(Self.fixtures.count == 360)
        #expect(Set(Self.fixtures.map(\.roomVersion)) == Set(RoomVersion.all))
    }

    @Test(arguments: fixtures)
    func agreesWithSynapse(fixture: Fixture) throws {
        let version = fixture.roomVersion
        let event = try JSONValue.parse(fixture.event, options: version.eventParseOptions)
        #expect(String(decoding: try event.canonicalEncoded(), as: UTF8.self) == fixture.event)
        #expect(UnpaddedBase64.encode(try EventHashes.contentHash(of: event)) == fixture.contentHash)
        #expect(UnpaddedBase64.encode(try EventHashes.referenceHash(of: event, version: version)) == fixture.referenceHash)
        #expect(try EventHashes.eventID(of: event, version: version).rawValue == fixture.eventID)
        let redacted = try EventRedaction.redact(event, rules: version.redactionRules)
        #expect(String(decoding: try redacted.canonicalEncoded(), as: UTF8.self) == fixture.redacted)
        let signed = try SpecSigningKey.key().hashAndSign(event: event, as: "domain", version: version)
        #expect(String(decoding: try signed.canonicalEncoded(), as: UTF8.self) == fixture.signed)
    }
}
