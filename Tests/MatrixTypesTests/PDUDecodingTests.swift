import MatrixTypes
import Testing

@Suite("PDU decoding")
struct PDUDecodingTests {
    @Test func decodesTheV1Format() throws {
        let event = try PDUSamples.decode(PDUSamples.v1Member, version: .v1, eventID: "$join:example.org")
        #expect(event.eventID.rawValue == "$join:example.org")
        #expect(event.roomID.rawValue == "!room:example.org")
        #expect(event.authEventIDs.map(\.rawValue) == ["$create:example.org", "$pl:example.org"])
        #expect(event.prevEventIDs.map(\.rawValue) == ["$pl:example.org"])
        #expect(event.stateMapKey == .member("@alice:example.org"))
        #expect(event.membership == "join")
        #expect(event.depth == 3)
        #expect(event.originServerTS == 1_700_000_000_000)
    }

    @Test func v1EventIDMustMatchTheBody() {
        #expect(throws: PDUDecodingError.self) {
            try PDUSamples.decode(PDUSamples.v1Member, version: .v1, eventID: "$other:example.org")
        }
    }

    @Test func decodesTheV3FormatWithIDLists() throws {
        let event = try PDUSamples.decode(PDUSamples.v4Message, version: .v4, eventID: PDUSamples.hashEventID)
        #expect(event.authEventIDs.map(\.rawValue) == [PDUSamples.hashEventID])
        #expect(!event.isState)
        #expect(event.stateMapKey == nil)
    }

    @Test func formatsAreNotInterchangeable() {
        #expect(throws: PDUDecodingError.self) {
            try PDUSamples.decode(PDUSamples.v4Message, version: .v1, eventID: "$x:example.org")
        }
        #expect(throws: PDUDecodingError.self) {
            try PDUSamples.decode(PDUSamples.v1Member, version: .v4, eventID: PDUSamples.hashEventID)
        }
    }

    @Test func v12CreateEventNamesTheRoomAfterItself() throws {
        let create = try PDUSamples.decode(PDUSamples.v12Create, version: .v12, eventID: PDUSamples.otherHashEventID)
        #expect(create.isCreateEvent)
        #expect(create.roomID.rawValue == PDUSamples.hashRoomID)
        #expect(create.authEventIDsWithCreate.isEmpty)
    }

    @Test func v12EventsImplyTheCreateEventAsAnAuthEvent() throws {
        let redaction = try PDUSamples.decode(PDUSamples.v12Redaction, version: .v12, eventID: PDUSamples.hashEventID)
        #expect(redaction.redacts?.rawValue == PDUSamples.hashEventID)
        #expect(redaction.authEventIDsWithCreate.map(\.rawValue) == [PDUSamples.hashEventID, PDUSamples.otherHashEventID])
    }

    @Test func v12RoomIDsMustBeCreateEventHashes() throws {
        var json = try JSONValue.parse(PDUSamples.v12Redaction)
        json["room_id"] = "!room:example.org"
        #expect(throws: PDUDecodingError.invalidField("room_id", reason: "'!room:example.org' does not have room version 12's format")) {
            try PDU(json: json, eventID: EventID(PDUSamples.hashEventID), version: .v12)
        }
    }

    @Test func redactsMovesIntoContentInV11() throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json["type"] = "m.room.redaction"
        json["redacts"] = .string(PDUSamples.otherHashEventID)
        let id = try EventID(PDUSamples.hashEventID)
        #expect(try PDU(json: json, eventID: id, version: .v10).redacts?.rawValue == PDUSamples.otherHashEventID)
        #expect(try PDU(json: json, eventID: id, version: .v11).redacts == nil)
    }

    @Test(arguments: ["type", "sender", "content", "room_id", "depth", "origin_server_ts", "hashes", "signatures", "prev_events", "auth_events"])
    func requiresEveryField(name: String) throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json[name] = nil
        #expect(throws: PDUDecodingError.missingField(name)) {
            try PDU(json: json, eventID: EventID(PDUSamples.hashEventID), version: .v4)
        }
    }

    @Test(arguments: [
        ("type", JSONValue.integer(1)), ("sender", "alice"), ("content", []), ("depth", -1), ("depth", "1"),
        ("state_key", .null), ("hashes", ["md5": "x"]), ("signatures", ["a": ["k": 1]]), ("prev_events", ["$x"]),
        ("room_id", "room"), ("origin_server_ts", 1.5),
    ] as [(String, JSONValue)])
    func rejectsMalformedFields(name: String, value: JSONValue) throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json[name] = value
        #expect(throws: PDUDecodingError.self) {
            try PDU(json: json, eventID: EventID(PDUSamples.hashEventID), version: .v4)
        }
    }

    @Test func limitsTypeAndStateKeyTo255Bytes() throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        let id = try EventID(PDUSamples.hashEventID)
        json["state_key"] = .string(String(repeating: "é", count: 127) + "a")
        #expect(try PDU(json: json, eventID: id, version: .v4).stateKey?.utf8.count == 255)
        json["state_key"] = .string(String(repeating: "é", count: 128))
        #expect(throws: PDUDecodingError.self) { try PDU(json: json, eventID: id, version: .v4) }
        json["state_key"] = nil
        json["type"] = .string(String(repeating: "t", count: 256))
        #expect(throws: PDUDecodingError.self) { try PDU(json: json, eventID: id, version: .v4) }
    }

    @Test func limitsTheCanonicalSizeTo65536Bytes() throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        let id = try EventID(PDUSamples.hashEventID)
        json["content"] = ["body": ""]
        let base = try json.canonicalEncoded().count
        json["content"] = ["body": .string(String(repeating: "x", count: PDU.maximumByteCount - base))]
        #expect(try json.canonicalEncoded().count == PDU.maximumByteCount)
        #expect(throws: Never.self) { try PDU(json: json, eventID: id, version: .v4) }
        json["content"] = ["body": .string(String(repeating: "x", count: PDU.maximumByteCount - base + 1))]
        #expect(throws: PDUDecodingError.tooLarge(byteCount: PDU.maximumByteCount + 1)) {
            try PDU(json: json, eventID: id, version: .v4)
        }
    }

    @Test func canonicalVersionsRefuseFloats() throws {
        var json = try JSONValue.parse(PDUSamples.v4Message)
        json["content"] = ["n": 1.5]
        let id = try EventID(PDUSamples.hashEventID)
        #expect(throws: Never.self) { try PDU(json: json, eventID: id, version: .v5) }
        #expect(throws: PDUDecodingError.self) { try PDU(json: json, eventID: id, version: .v6) }
    }
}

@Suite("State keys")
struct StateKeyTests {
    @Test func compareBytesNotCanonicalEquivalence() {
        let precomposed = StateKey("m.room.member", "@\u{E9}:x")
        let decomposed = StateKey("m.room.member", "@e\u{301}:x")
        #expect(precomposed != decomposed)
        #expect(Set([precomposed, decomposed]).count == 2)
        #expect(decomposed < precomposed)
    }

    @Test func separatesTypeFromStateKey() {
        #expect(StateKey("ab", "c") != StateKey("a", "bc"))
        #expect(StateKey("a", "z") < StateKey("b", ""))
    }
}
