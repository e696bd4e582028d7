import MatrixTypes

/// The power levels in force in a room: the `m.room.power_levels` content with the spec's defaults filled in, and
/// the room's creators.
///
/// Without a power levels event the creator has 100 and everyone else 0. In room v12 the creators (the create
/// event's sender and `additional_creators`) have infinite power whatever the power levels say.
public struct RoomPowerLevels: Sendable {
    /// The level of a v12 creator: above every level a power levels event can hold.
    public static let creatorLevel = Int64.max

    public let version: RoomVersion
    /// Users with infinite power (room v12 only).
    public let creators: Set<UserID>
    private let creatorKeys: Set<JSONKey>
    /// The user who gets 100 when there is no power levels event (rooms before v12).
    private let implicitCreator: String?
    private let hasPowerLevelsEvent: Bool
    /// The power levels content as sent, for ``checkReadable(user:)`` and its siblings (`nil` without an event).
    let content: JSONValue?
    private let users: [JSONKey: Int64]
    private let events: [JSONKey: Int64]
    private let notifications: [JSONKey: Int64]
    public let usersDefault: Int64
    public let eventsDefault: Int64
    public let stateDefault: Int64
    public let ban: Int64
    public let kick: Int64
    public let redact: Int64
    public let invite: Int64

    /// Reads the levels from a room's create and power levels events. Malformed values count as absent.
    public init(create: PDU?, powerLevels: PDU?, version: RoomVersion) {
        self.version = version
        creators = create.map { Self.creators(of: $0, version: version) } ?? []
        creatorKeys = Set(creators.map { JSONKey($0.rawValue) })
        implicitCreator = create.flatMap { create in
            version.authRules.usesCreateEventSenderAsCreator ? create.sender.rawValue : create.content["creator"]?.stringValue
        }
        hasPowerLevelsEvent = powerLevels != nil
        self.content = powerLevels?.content
        let content = powerLevels?.content ?? [:]
        func level(_ key: String, default fallback: Int64) -> Int64 {
            content[key].flatMap { PowerLevelValue.parse($0, version: version) } ?? fallback
        }
        users = Self.levels(content["users"], version: version)
        events = Self.levels(content["events"], version: version)
        notifications = Self.levels(content["notifications"], version: version)
        usersDefault = level("users_default", default: 0)
        eventsDefault = level("events_default", default: 0)
        stateDefault = level("state_default", default: 50)
        ban = level("ban", default: 50)
        kick = level("kick", default: 50)
        redact = level("redact", default: 50)
        invite = level("invite", default: 0)
    }

    /// Reads the levels from the create and power levels events of `state`.
    public init(state: [StateKey: PDU], version: RoomVersion) {
        self.init(create: state[.create], powerLevels: state[.powerLevels], version: version)
    }

    /// The room v12 creators named by a create event: its sender and the valid IDs in `additional_creators`.
    public static func creators(of create: PDU, version: RoomVersion) -> Set<UserID> {
        guard version.authRules.givesCreatorsInfinitePower else { return [] }
        let additional = create.content["additional_creators"]?.arrayValue ?? []
        return Set(additional.compactMap { $0.stringValue.flatMap { try? UserID($0) } }).union([create.sender])
    }

    /// `user`'s power level (a user ID, or a membership event's state key).
    public func userLevel(_ user: some StringProtocol) -> Int64 {
        let key = JSONKey(String(user))
        if creatorKeys.contains(key) { return Self.creatorLevel }
        guard hasPowerLevelsEvent else {
            return implicitCreator.map { $0.hasSameBytes(as: user) } == true ? 100 : 0
        }
        return users[key] ?? usersDefault
    }

    /// The level needed to send an event of `eventType`: its entry in `events`, else the state or events default.
    public func requiredLevel(eventType: String, isState: Bool) -> Int64 {
        events[JSONKey(eventType)] ?? (isState ? stateDefault : eventsDefault)
    }

    /// The level needed for a notification kind such as `room` (`@room` mentions); 50 unless set.
    public func notificationLevel(_ key: String) -> Int64 {
        notifications[JSONKey(key)] ?? 50
    }

    private static func levels(_ value: JSONValue?, version: RoomVersion) -> [JSONKey: Int64] {
        var levels: [JSONKey: Int64] = [:]
        for (key, level) in value?.objectValue ?? [:] {
            if let parsed = PowerLevelValue.parse(level, version: version) { levels[JSONKey(key)] = parsed }
        }
        return levels
    }
}
