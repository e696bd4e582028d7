/// Event types whose state the authorisation rules and state resolution read.
public enum EventType {
    public static let create = "m.room.create"
    public static let member = "m.room.member"
    public static let joinRules = "m.room.join_rules"
    public static let powerLevels = "m.room.power_levels"
    public static let thirdPartyInvite = "m.room.third_party_invite"
    public static let aliases = "m.room.aliases"
    public static let redaction = "m.room.redaction"
}

/// Values of `m.room.member`'s `content.membership`.
public enum Membership {
    public static let join = "join"
    public static let invite = "invite"
    public static let leave = "leave"
    public static let ban = "ban"
    public static let knock = "knock"
}

/// Values of `m.room.join_rules`'s `content.join_rule`.
public enum JoinRule {
    public static let `public` = "public"
    public static let invite = "invite"
    public static let knock = "knock"
    public static let restricted = "restricted"
    public static let knockRestricted = "knock_restricted"
}
