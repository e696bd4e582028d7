import MatrixTypes

/// The redaction algorithm: what remains of an event once it is redacted, and what signatures and reference
/// hashes cover. Getting one key wrong changes event IDs and breaks signature checks with other servers.
public enum EventRedaction {
    /// Returns the redacted form of `event` under `rules`. The result always has a `content` object.
    public static func redact(_ event: JSONValue, rules: RedactionRules) throws(EventHashingError) -> JSONValue {
        guard case .object(let members) = event else { throw .notAnObject }
        let keptKeys = topLevelKeys(rules)
        var redacted = members.filter { keptKeys.contains($0.key) }
        let content = members["content"]?.objectValue ?? [:]
        let type = members["type"]?.stringValue ?? ""
        redacted["content"] = .object(redactedContent(content, type: type, rules: rules))
        return .object(redacted)
    }

    private static let v1TopLevelKeys: Set<String> = [
        "event_id", "type", "room_id", "sender", "state_key", "content", "hashes", "signatures", "depth",
        "prev_events", "prev_state", "auth_events", "origin", "origin_server_ts", "membership",
    ]

    /// Room v11 drops `origin`, `membership` and `prev_state` from the protected keys.
    private static let v11TopLevelKeys = v1TopLevelKeys.subtracting(["origin", "membership", "prev_state"])

    private static func topLevelKeys(_ rules: RedactionRules) -> Set<String> {
        rules == .v11 ? v11TopLevelKeys : v1TopLevelKeys
    }

    private static func redactedContent(
        _ content: JSONObject,
        type: String,
        rules: RedactionRules
    ) -> JSONObject {
        if type == "m.room.create", rules == .v11 { return content }
        var kept = content.filter { protectedContentKeys(type: type, rules: rules).contains($0.key) }
        // v11 keeps only `signed` of a member event's `third_party_invite`, as an object even when `signed` is absent.
        if type == "m.room.member", rules == .v11, case .object(let invite) = content["third_party_invite"] {
            kept["third_party_invite"] = .object(invite.filter { $0.key == "signed" })
        }
        return kept
    }

    private static func protectedContentKeys(type: String, rules: RedactionRules) -> Set<String> {
        switch type {
        case "m.room.member":
            switch rules {
            case .v1, .v6, .v8: ["membership"]
            case .v9, .v11: ["membership", "join_authorised_via_users_server"]
            }
        case "m.room.create":
            ["creator"]
        case "m.room.join_rules":
            switch rules {
            case .v1, .v6: ["join_rule"]
            case .v8, .v9, .v11: ["join_rule", "allow"]
            }
        case "m.room.power_levels":
            rules == .v11
                ? ["ban", "events", "events_default", "invite", "kick", "redact", "state_default", "users", "users_default"]
                : ["ban", "events", "events_default", "kick", "redact", "state_default", "users", "users_default"]
        case "m.room.aliases":
            rules == .v1 ? ["aliases"] : []
        case "m.room.history_visibility":
            ["history_visibility"]
        case "m.room.redaction":
            rules == .v11 ? ["redacts"] : []
        default:
            []
        }
    }
}
