import MatrixCrypto
import MatrixTypes
import Testing

@Suite("Redaction algorithm")
struct RedactionTests {
    static let envelope: JSONValue = [
        "event_id": "$e:x", "type": "t", "room_id": "!r:x", "sender": "@s:x", "state_key": "", "hashes": [:],
        "signatures": [:], "depth": 1, "prev_events": [], "prev_state": [], "auth_events": [], "origin": "x",
        "origin_server_ts": 1, "membership": "join", "unsigned": ["age": 1], "redacts": "$other:x", "extra": true,
    ]

    private func redact(type: String, content: JSONValue, rules: RedactionRules) throws -> JSONValue {
        var event = Self.envelope
        event["type"] = .string(type)
        event["content"] = content
        return try EventRedaction.redact(event, rules: rules)["content"]!
    }

    @Test func keepsOnlyProtectedTopLevelKeys() throws {
        let old = try EventRedaction.redact(Self.envelope, rules: .v9)
        #expect(Set(old.objectValue!.keys) == [
            "event_id", "type", "room_id", "sender", "state_key", "hashes", "signatures", "depth", "prev_events",
            "prev_state", "auth_events", "origin", "origin_server_ts", "membership", "content",
        ])
        let v11 = try EventRedaction.redact(Self.envelope, rules: .v11)
        #expect(Set(v11.objectValue!.keys) == [
            "event_id", "type", "room_id", "sender", "state_key", "hashes", "signatures", "depth", "prev_events",
            "auth_events", "origin_server_ts", "content",
        ])
        #expect(v11["content"] == [:])
    }

    @Test func memberEvents() throws {
        let content: JSONValue = [
            "membership": "join", "displayname": "A", "join_authorised_via_users_server": "@u:x",
            "third_party_invite": ["display_name": "d", "signed": ["mxid": "@a:x"]],
        ]
        #expect(try redact(type: "m.room.member", content: content, rules: .v8) == ["membership": "join"])
        #expect(try redact(type: "m.room.member", content: content, rules: .v9)
            == ["membership": "join", "join_authorised_via_users_server": "@u:x"])
        #expect(try redact(type: "m.room.member", content: content, rules: .v11) == [
            "membership": "join", "join_authorised_via_users_server": "@u:x",
            "third_party_invite": ["signed": ["mxid": "@a:x"]],
        ])
        #expect(try redact(type: "m.room.member", content: ["membership": "invite", "third_party_invite": ["a": 1]], rules: .v11)
            == ["membership": "invite", "third_party_invite": [:]])
    }

    @Test func createEvents() throws {
        let content: JSONValue = ["creator": "@c:x", "room_version": "11", "m.federate": false]
        #expect(try redact(type: "m.room.create", content: content, rules: .v9) == ["creator": "@c:x"])
        #expect(try redact(type: "m.room.create", content: content, rules: .v11) == content)
    }

    @Test func joinRules() throws {
        let content: JSONValue = ["join_rule": "restricted", "allow": [["type": "m.room_membership"]], "x": 1]
        #expect(try redact(type: "m.room.join_rules", content: content, rules: .v6) == ["join_rule": "restricted"])
        #expect(try redact(type: "m.room.join_rules", content: content, rules: .v8)
            == ["join_rule": "restricted", "allow": [["type": "m.room_membership"]]])
    }

    @Test func powerLevels() throws {
        let content: JSONValue = [
            "ban": 50, "events": ["a": 1], "events_default": 0, "invite": 0, "kick": 50, "redact": 50,
            "state_default": 50, "users": ["@a:x": 100], "users_default": 0, "notifications": ["room": 50],
        ]
        var withoutInvite = content
        withoutInvite["invite"] = nil
        withoutInvite["notifications"] = nil
        var withInvite = content
        withInvite["notifications"] = nil
        #expect(try redact(type: "m.room.power_levels", content: content, rules: .v9) == withoutInvite)
        #expect(try redact(type: "m.room.power_levels", content: content, rules: .v11) == withInvite)
    }

    @Test func aliasesHistoryVisibilityAndRedactions() throws {
        #expect(try redact(type: "m.room.aliases", content: ["aliases": ["#a:x"]], rules: .v1) == ["aliases": ["#a:x"]])
        #expect(try redact(type: "m.room.aliases", content: ["aliases": ["#a:x"]], rules: .v6) == [:])
        #expect(try redact(type: "m.room.history_visibility", content: ["history_visibility": "shared", "x": 1], rules: .v1)
            == ["history_visibility": "shared"])
        #expect(try redact(type: "m.room.redaction", content: ["redacts": "$e", "reason": "r"], rules: .v9) == [:])
        #expect(try redact(type: "m.room.redaction", content: ["redacts": "$e", "reason": "r"], rules: .v11) == ["redacts": "$e"])
    }

    @Test func alwaysProducesContent() throws {
        let redacted = try EventRedaction.redact(["type": "m.room.message"], rules: .v1)
        #expect(redacted == ["type": "m.room.message", "content": [:]])
        #expect(throws: EventHashingError.notAnObject) { try EventRedaction.redact("x", rules: .v1) }
    }
}
