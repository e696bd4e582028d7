import MatrixTypes

/// The `m.room.power_levels` rules: the new content must be well formed, and no one may grant, take away or
/// change a level above their own.
enum PowerLevelsRules {
    static let namedLevels = ["users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"]

    static func check(_ context: AuthContext) throws(AuthorizationError) {
        let event = context.event
        let version = context.version
        try checkShape(of: event.content, version: version)
        if version.authRules.givesCreatorsInfinitePower, let create = context.create {
            let users = Set((event.content["users"]?.objectValue ?? [:]).keys.compactMap { try? UserID($0) })
            guard users.isDisjoint(with: RoomPowerLevels.creators(of: create, version: version)) else {
                throw AuthorizationError("Room creators cannot be listed in power levels' users")
            }
        }
        guard let current = context.state[.powerLevels] else { return }
        let comparison = LevelComparison(
            old: current.content, new: event.content, version: version, senderLevel: context.senderLevel()
        )
        for key in namedLevels {
            try comparison.checkChange(old: current.content[key], new: event.content[key], name: key)
        }
        var maps = ["events"]
        if version.authRules.checksNotificationsPowerLevels { maps.append("notifications") }
        for map in maps {
            try comparison.checkMap(map)
        }
        try comparison.checkUsers(sender: event.sender)
    }

    /// Rules 10.1–10.3 (v10+) or the single `users` rule of earlier versions.
    private static func checkShape(of content: JSONValue, version: RoomVersion) throws(AuthorizationError) {
        if version.authRules.requiresIntegerPowerLevels {
            for key in namedLevels {
                if let value = content[key], value.integerValue == nil {
                    throw AuthorizationError("Power level '\(key)' must be an integer")
                }
            }
            for map in ["events", "notifications"] {
                if let value = content[map], !isObject(value, ofLevelsIn: version) {
                    throw AuthorizationError("Power levels' '\(map)' must be an object of integers")
                }
            }
        }
        if let users = content["users"] {
            guard isObject(users, ofLevelsIn: version),
                  users.objectValue?.keys.allSatisfy(DomainPart.isUserIDShaped) == true
            else { throw AuthorizationError("Power levels' 'users' must map user IDs to levels") }
        }
    }

    private static func isObject(_ value: JSONValue, ofLevelsIn version: RoomVersion) -> Bool {
        value.objectValue?.values.allSatisfy { PowerLevelValue.parse($0, version: version) != nil } == true
    }
}

/// Compares a new power levels content with the current one against the sender's level.
private struct LevelComparison {
    let old: JSONValue
    let new: JSONValue
    let version: RoomVersion
    let senderLevel: Int64

    /// A present value that is not a power level makes the change unauthorisable.
    private func level(_ value: JSONValue?, name: String) throws(AuthorizationError) -> Int64? {
        guard let value else { return nil }
        guard let level = PowerLevelValue.parse(value, version: version) else {
            throw AuthorizationError("Power level '\(name)' is not a number")
        }
        return level
    }

    /// An added, changed or removed value may be neither above the sender's level before nor after.
    func checkChange(old oldValue: JSONValue?, new newValue: JSONValue?, name: String) throws(AuthorizationError) {
        let before = try level(oldValue, name: name)
        let after = try level(newValue, name: name)
        if before == after { return }
        if let before, before > senderLevel {
            throw AuthorizationError("Cannot change '\(name)' from \(before), above the sender's \(senderLevel)")
        }
        if let after, after > senderLevel {
            throw AuthorizationError("Cannot set '\(name)' to \(after), above the sender's \(senderLevel)")
        }
    }

    /// The members of `users`, `events` or `notifications`, keyed by their bytes: Matrix compares the keys by code
    /// point, so `"@\u{E9}:x"` and `"@e\u{301}:x"` are two users, and re-spelling one is a removal and an addition.
    private func members(_ content: JSONValue, _ map: String) throws(AuthorizationError) -> [JSONKey: JSONValue] {
        guard let value = content[map] else { return [:] }
        guard let members = value.objectValue else { throw AuthorizationError("Power levels' '\(map)' is not an object") }
        var byBytes: [JSONKey: JSONValue] = [:]
        for (key, member) in members { byBytes[JSONKey(key)] = member }
        return byBytes
    }

    func checkMap(_ map: String) throws(AuthorizationError) {
        let before = try members(old, map)
        let after = try members(new, map)
        for key in Set(before.keys).union(after.keys) {
            try checkChange(old: before[key], new: after[key], name: "\(map).\(key.string)")
        }
    }

    /// As ``checkMap(_:)``, and besides no one may change or remove another user's level equal to their own.
    func checkUsers(sender: UserID) throws(AuthorizationError) {
        let before = try members(old, "users")
        let after = try members(new, "users")
        let senderKey = JSONKey(sender.rawValue)
        for key in Set(before.keys).union(after.keys) {
            let name = "users.\(key.string)"
            let oldLevel = try level(before[key], name: name)
            if oldLevel != (try level(after[key], name: name)), let oldLevel, key != senderKey, oldLevel >= senderLevel {
                throw AuthorizationError(
                    "Cannot change \(key.string)'s level \(oldLevel), not below the sender's \(senderLevel)"
                )
            }
            try checkChange(old: before[key], new: after[key], name: name)
        }
    }
}
