import MatrixCrypto
import MatrixTypes
import Testing

@Suite("PDU decoding with derived IDs")
struct PDUDecodingWithIDTests {
    static func signed(_ event: JSONValue, version: RoomVersion) throws -> JSONValue {
        try SpecSigningKey.key().hashAndSign(event: event, as: SpecSigningKey.serverName, version: version)
    }

    static let message: JSONValue = [
        "type": "m.room.message", "sender": "@a:domain", "room_id": "!r:domain", "content": ["body": "hi"],
        "origin_server_ts": 1, "depth": 2, "prev_events": [], "auth_events": [],
    ]

    @Test(arguments: [RoomVersion.v3, .v4, .v11])
    func derivesTheEventIDFromTheReferenceHash(version: RoomVersion) throws {
        let json = try Self.signed(Self.message, version: version)
        let event = try PDU(bytes: json.canonicalEncoded(), version: version)
        #expect(event.eventID == (try EventHashes.eventID(of: json, version: version)))
        #expect(event.eventID.isValid(for: version.eventIDFormat))
    }

    @Test func readsTheEventIDOfV1Events() throws {
        var message = Self.message
        message["event_id"] = "$e:domain"
        let event = try PDU(json: try Self.signed(message, version: .v2), version: .v2)
        #expect(event.eventID.rawValue == "$e:domain")
        message["event_id"] = nil
        #expect(throws: PDUDecodingError.invalidField("event_id", reason: "missing")) {
            try PDU(json: try Self.signed(message, version: .v2), version: .v2)
        }
    }

    @Test func namesAV12RoomAfterItsCreateEvent() throws {
        let create = try Self.signed([
            "type": "m.room.create", "state_key": "", "sender": "@a:domain", "content": ["room_version": "12"],
            "origin_server_ts": 1, "depth": 1, "prev_events": [], "auth_events": [],
        ], version: .v12)
        let event = try PDU(json: create, version: .v12)
        #expect(event.roomID.rawValue == "!" + event.eventID.opaquePart)
    }

    @Test func refusesInvalidJSONWithTheVersionsLimits() throws {
        #expect(throws: PDUDecodingError.self) { try PDU(bytes: Array("{".utf8), version: .v10) }
        let withFloat = Array(#"{"depth":1.5}"#.utf8)
        #expect {
            try PDU(bytes: withFloat, version: .v10)
        } throws: { error in
            guard case .invalidJSON = error as? PDUDecodingError else { return false }
            return true
        }
    }

    @Test func hashesEventIDsWithSHA1ForRoomV1() throws {
        #expect(try EventID("$event:example.org").sha1HexDigest == "fd84c361425e06ee5b43f3eae4f1bae546599a09")
    }
}
