import MatrixTypes
@testable import Spaces
import Testing

/// `m.space.child` events: which name a child (`via` a non-empty array of strings, a room ID as state key), and the
/// spec's order (valid `order` by code points, then `origin_server_ts`, then room ID).
@Suite struct SpaceChildTests {
    static func event(_ room: String, _ content: JSONValue, ts: Int64 = 1, type: String = SpaceChild.eventType) -> JSONValue {
        ["type": .string(type), "state_key": .string(room), "sender": "@a:sp.test", "origin_server_ts": .integer(ts), "content": content]
    }

    @Test func onlyANonEmptyViaOfStringsNamesAChild() {
        #expect(SpaceChild(event: Self.event("!a:sp.test", ["via": ["sp.test"]]))?.via == ["sp.test"])
        #expect(SpaceChild(event: Self.event("!a:sp.test", ["via": []])) == nil, "an empty via is a removed child")
        #expect(SpaceChild(event: Self.event("!a:sp.test", [:])) == nil, "a redacted child has no via")
        #expect(SpaceChild(event: Self.event("!a:sp.test", ["via": "sp.test"])) == nil, "via must be an array")
        #expect(SpaceChild(event: Self.event("!a:sp.test", ["via": ["sp.test", 3]])) == nil, "every via entry must be a string")
        #expect(SpaceChild(event: Self.event("not a room", ["via": ["sp.test"]])) == nil, "the state key must be a room ID")
        #expect(SpaceChild(event: Self.event("!a:sp.test", ["via": ["sp.test"]], type: "m.space.parent")) == nil)
        let stripped = SpaceChild(event: Self.event("!a:sp.test", ["via": ["sp.test"], "suggested": true], ts: 42))
        #expect(stripped?.suggested == true)
        #expect(stripped?.stripped["origin_server_ts"] == .integer(42) && stripped?.stripped["sender"] == "@a:sp.test")
        #expect(SpaceChild(event: Self.event("!a:sp.test", ["via": ["sp.test"], "suggested": "true"]))?.suggested == false)
    }

    @Test func childrenSortByValidOrderThenTimestampThenRoomID() throws {
        func child(_ room: String, order: JSONValue? = nil, ts: Int64) throws -> SpaceChild {
            var content: JSONObject = ["via": ["sp.test"]]
            if let order { content["order"] = order }
            return try #require(SpaceChild(event: Self.event(room, .object(content), ts: ts)))
        }
        let children = [
            try child("!none2:sp.test", ts: 5),
            try child("!none1:sp.test", ts: 5),
            try child("!early:sp.test", ts: 1),
            try child("!tilde:sp.test", order: "~", ts: 9),
            try child("!space:sp.test", order: " ", ts: 9),
            try child("!upper:sp.test", order: "Z", ts: 9),
            try child("!lower:sp.test", order: "a", ts: 9),
            try child("!tieB:sp.test", order: "m", ts: 3),
            try child("!tieA:sp.test", order: "m", ts: 4),
            try child("!toolong:sp.test", order: .string(String(repeating: "a", count: 51)), ts: 2),
            try child("!control:sp.test", order: "a\u{7F}", ts: 6),
            try child("!accent:sp.test", order: "é", ts: 7),
            try child("!number:sp.test", order: 1, ts: 8),
        ]
        let sorted = children.sorted(by: SpaceChild.precedes).map(\.roomID.rawValue)
        #expect(sorted == [
            "!space:sp.test", "!upper:sp.test", "!lower:sp.test", "!tieB:sp.test", "!tieA:sp.test", "!tilde:sp.test",
            "!early:sp.test", "!toolong:sp.test", "!none1:sp.test", "!none2:sp.test", "!control:sp.test", "!accent:sp.test",
            "!number:sp.test",
        ])
        #expect(SpaceChild.validOrder(.string(String(repeating: "a", count: 50))) != nil, "50 characters is valid")
    }

    /// Another server's answer keeps what matches the spec's shape and drops the rest; a wrong room refuses it.
    @Test func remoteAnswersAreCheckedPartByPart() throws {
        let root = try RoomID("!root:far.test")
        let answer: JSONValue = [
            "room": [
                "room_id": "!root:far.test", "num_joined_members": 3, "world_readable": false, "guest_can_join": false, "name": "Far",
                "topic": 5, "surprise": "dropped", "join_rule": "public", "allowed_room_ids": ["!ok:far.test", 7, "bad"],
                "children_state": [
                    Self.event("!a:far.test", ["via": ["far.test"]]), Self.event("!b:far.test", ["via": []]), "not an event",
                ],
            ],
            "children": [
                ["room_id": "!a:far.test", "num_joined_members": 1, "world_readable": true, "guest_can_join": false],
                ["room_id": "!c:far.test", "num_joined_members": "many", "world_readable": true, "guest_can_join": false],
                "nonsense",
            ],
            "inaccessible_children": ["!d:far.test", 4, "nope"],
        ]
        let checked = try #require(RemoteHierarchy(answer: answer, roomID: root))
        #expect(checked.room["name"] == "Far" && checked.room["topic"] == nil && checked.room["surprise"] == nil)
        #expect(checked.room["allowed_room_ids"] == ["!ok:far.test"])
        #expect(checked.children.map(\.roomID.rawValue) == ["!a:far.test"])
        #expect(checked.childSummaries.keys.map(\.rawValue) == ["!a:far.test"])
        #expect(checked.inaccessible == [try RoomID("!d:far.test")])
        #expect(RemoteHierarchy(answer: answer, roomID: try RoomID("!other:far.test")) == nil, "another room than asked")
        #expect(RemoteHierarchy(answer: ["room": ["room_id": "!root:far.test"]], roomID: root) == nil, "required fields missing")
        #expect(RemoteHierarchy(answer: [:], roomID: root) == nil)
    }
}
