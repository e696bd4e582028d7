import MatrixCrypto
import MatrixTypes
import Testing

@Suite("Event IDs and reference hashes")
struct EventIDDerivationTests {
    static let event: JSONValue = [
        "auth_events": [], "content": ["body": "hello"], "depth": 3, "hashes": ["sha256": "abc"],
        "origin_server_ts": 1_000_000, "prev_events": [], "room_id": "!r:domain", "sender": "@u:domain",
        "signatures": ["domain": ["ed25519:1": "sig"]], "type": "m.room.message", "unsigned": ["age_ts": 5],
    ]

    /// Expected values computed independently (Python's hashlib over the spec's reference `canonical_json`) from
    /// the redacted event: `{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"abc"},...,"type":"m.room.message"}`.
    static let referenceHashBase64 = "89O6HmMaCurRQbVTm1/PUYw1tplTyV8YrTaw8Hw7+so"

    @Test func referenceHashCoversTheRedactedEventWithoutSignaturesOrUnsigned() throws {
        let hash = try EventHashes.referenceHash(of: Self.event, version: .v10)
        #expect(UnpaddedBase64.encode(hash) == Self.referenceHashBase64)

        var resigned = Self.event
        resigned["signatures"] = ["other": ["ed25519:2": "x"]]
        resigned["content"] = ["body": "changed"]
        #expect(try EventHashes.referenceHash(of: resigned, version: .v10) == hash)
    }

    @Test func encodesIDsPerRoomVersion() throws {
        let v3 = try EventHashes.eventID(of: Self.event, version: .v3)
        let v4 = try EventHashes.eventID(of: Self.event, version: .v4)
        #expect(v3.rawValue == "$89O6HmMaCurRQbVTm1/PUYw1tplTyV8YrTaw8Hw7+so")
        #expect(v4.rawValue == "$89O6HmMaCurRQbVTm1_PUYw1tplTyV8YrTaw8Hw7-so")
        #expect(v3.isValid(for: .referenceHash))
        #expect(v4.isValid(for: .urlSafeReferenceHash))
    }

    @Test func versionsOneAndTwoReadTheEventIDMember() throws {
        var event = Self.event
        event["event_id"] = "$abc:domain"
        #expect(try EventHashes.eventID(of: event, version: .v1).rawValue == "$abc:domain")
        #expect(throws: EventHashingError.invalidEventID("missing")) { try EventHashes.eventID(of: Self.event, version: .v2) }
        event["event_id"] = "$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"
        #expect(throws: EventHashingError.self) { try EventHashes.eventID(of: event, version: .v1) }
    }

    @Test func version12RoomIDIsTheCreateEventHash() throws {
        let create: JSONValue = [
            "auth_events": [], "content": ["room_version": "12"], "depth": 1, "hashes": ["sha256": "x"],
            "origin_server_ts": 1, "prev_events": [], "sender": "@creator:domain", "state_key": "",
            "type": "m.room.create",
        ]
        let createID = try EventHashes.eventID(of: create, version: .v12)
        #expect(createID.rawValue == "$F0OLF1jEp9eGvvpHLW21xl1o13s_e-rPcjLd38B2Lhs")
        let roomID = try RoomID(createEventID: createID)
        #expect(roomID.rawValue == "!F0OLF1jEp9eGvvpHLW21xl1o13s_e-rPcjLd38B2Lhs")
        #expect(roomID.isValid(for: .createEventHash))
        #expect(roomID.createEventID == createID)
    }
}
