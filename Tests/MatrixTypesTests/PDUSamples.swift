import MatrixTypes

/// Well-formed events of each wire format, for decoding and mutation tests. Hashes and signatures are placeholders:
/// decoding checks their shape, not their value.
enum PDUSamples {
    static let hashEventID = "$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"
    static let otherHashEventID = "$F0OLF1jEp9eGvvpHLW21xl1o13s_e-rPcjLd38B2Lhs"
    static let hashRoomID = "!F0OLF1jEp9eGvvpHLW21xl1o13s_e-rPcjLd38B2Lhs"

    static let v1Member = #"""
        {"auth_events":[["$create:example.org",{"sha256":"aGFzaA"}],["$pl:example.org",{"sha256":"aGFzaA"}]],
        "content":{"membership":"join","displayname":"Alice"},"depth":3,"event_id":"$join:example.org",
        "hashes":{"sha256":"aGFzaA"},"origin_server_ts":1700000000000,
        "prev_events":[["$pl:example.org",{"sha256":"aGFzaA"}]],"room_id":"!room:example.org",
        "sender":"@alice:example.org","signatures":{"example.org":{"ed25519:1":"c2ln"}},
        "state_key":"@alice:example.org","type":"m.room.member","unsigned":{"age":5}}
        """#

    static let v4Message = #"""
        {"auth_events":["$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"],"content":{"body":"hé😀","msgtype":"m.text"},
        "depth":12,"hashes":{"sha256":"aGFzaA"},"origin_server_ts":1700000000000,
        "prev_events":["$F0OLF1jEp9eGvvpHLW21xl1o13s_e-rPcjLd38B2Lhs"],"room_id":"!room:example.org",
        "sender":"@bob:example.org","signatures":{"example.org":{"ed25519:1":"c2ln"}},"type":"m.room.message"}
        """#

    static let v12Create = #"""
        {"auth_events":[],"content":{"room_version":"12","additional_creators":["@bob:example.org"]},"depth":1,
        "hashes":{"sha256":"aGFzaA"},"origin_server_ts":1700000000000,"prev_events":[],
        "sender":"@alice:example.org","signatures":{"example.org":{"ed25519:1":"c2ln"}},"state_key":"",
        "type":"m.room.create"}
        """#

    static let v12Redaction = #"""
        {"auth_events":["$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"],
        "content":{"redacts":"$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg","reason":"spam"},"depth":4,
        "hashes":{"sha256":"aGFzaA"},"origin_server_ts":1700000000000,"prev_events":["$Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg"],
        "room_id":"!F0OLF1jEp9eGvvpHLW21xl1o13s_e-rPcjLd38B2Lhs","sender":"@alice:example.org",
        "signatures":{"example.org":{"ed25519:1":"c2ln"}},"type":"m.room.redaction"}
        """#

    /// Each sample with the room version and event ID it decodes under.
    static let all: [(json: String, version: RoomVersion, eventID: String)] = [
        (v1Member, .v1, "$join:example.org"),
        (v4Message, .v4, hashEventID),
        (v12Create, .v12, otherHashEventID),
        (v12Redaction, .v12, hashEventID),
    ]

    static func decode(_ json: String, version: RoomVersion, eventID: String) throws -> PDU {
        try PDU(json: JSONValue.parse(json, options: version.eventParseOptions), eventID: EventID(eventID), version: version)
    }
}
