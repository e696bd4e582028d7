/// How events are laid out on the wire.
public enum EventFormat: Sendable, Hashable {
    /// Rooms v1–v2: `event_id` is part of the event; `prev_events` and `auth_events` are `[event_id, {hashes}]` pairs.
    case v1
    /// Rooms v3 and later: no `event_id` (it is derived from the event); `prev_events` and `auth_events` are ID lists.
    case v3
}

/// The shape of event IDs.
public enum EventIDFormat: Sendable, Hashable {
    /// `$opaque:server`, chosen by the creating server (rooms v1–v2).
    case serverScoped
    /// `$` + unpadded standard base64 of the reference hash (room v3).
    case referenceHash
    /// `$` + unpadded URL-safe base64 of the reference hash (rooms v4 and later).
    case urlSafeReferenceHash
}

/// The shape of room IDs.
public enum RoomIDFormat: Sendable, Hashable {
    /// `!opaque:server` (rooms v1–v11).
    case serverScoped
    /// `!` + the create event's URL-safe reference hash (room v12); the create event itself carries no `room_id`
    /// and is never listed in `auth_events`.
    case createEventHash
}

/// Which properties survive redaction; named after the room version that introduced each rule set.
public enum RedactionRules: Sendable, Hashable {
    /// Rooms v1–v5: `m.room.aliases` keeps `aliases`.
    case v1
    /// Rooms v6–v7: `m.room.aliases` loses its special case.
    case v6
    /// Room v8: `m.room.join_rules` keeps `allow`.
    case v8
    /// Rooms v9–v10: `m.room.member` keeps `join_authorised_via_users_server`.
    case v9
    /// Rooms v11 and later: fewer top-level keys, whole create content, `invite` power level, `redacts`,
    /// and `third_party_invite.signed`.
    case v11
}

/// The state resolution algorithm.
public enum StateResolutionAlgorithm: Sendable, Hashable {
    /// Room v1.
    case v1
    /// Rooms v2–v11.
    case v2
    /// Room v12: iterative auth checks start from an empty map, and the full conflicted set includes the
    /// conflicted state subgraph.
    case v2_1
}

/// The differences between room versions' authorisation rules, as flags the rule engine consults.
public struct AuthRules: Sendable, Hashable {
    /// Rooms v1–v2: events need a signature from the server in their `event_id`, and redactions are checked by
    /// the auth rules (the redact level, or the same server as the redacted event).
    public var checksRedactionsAndEventIDServer: Bool
    /// Rooms v1–v5: `m.room.aliases` events are allowed when `state_key` is the sender's server.
    public var specialCasesAliasesEvents: Bool
    /// Rooms v6 and later: changes to `notifications` in power levels are checked like `events`.
    public var checksNotificationsPowerLevels: Bool
    /// Rooms v7 and later: the `knock` membership and join rule.
    public var allowsKnocking: Bool
    /// Rooms v8 and later: the `restricted` join rule and `join_authorised_via_users_server`.
    public var allowsRestrictedJoins: Bool
    /// Rooms v10 and later: the `knock_restricted` join rule.
    public var allowsKnockRestrictedJoins: Bool
    /// Rooms v10 and later: power level values must be integers (earlier versions accept numeric strings).
    public var requiresIntegerPowerLevels: Bool
    /// Rooms v11 and later: the creator is the create event's `sender`; `content.creator` is no longer used.
    public var usesCreateEventSenderAsCreator: Bool
    /// Room v12: creators (create `sender` and `content.additional_creators`) have infinite power and may not
    /// appear in `power_levels.users`.
    public var givesCreatorsInfinitePower: Bool
    /// Whether `auth_events` must include the `m.room.create` event (false from v12, where `room_id` implies it).
    public var requiresCreateEventInAuthEvents: Bool
}
