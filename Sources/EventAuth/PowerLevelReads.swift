import MatrixTypes

/// Rooms before v10 accept a first power levels event whose values are not numbers (only `users` is checked), and
/// Synapse reads each level with Python's `int()` when a rule needs it, refusing the event when that fails. The
/// rules therefore check that every level they read is readable, at the points where Synapse reads it; the plain
/// accessors of ``RoomPowerLevels`` count such values as absent, for callers outside the authorisation rules.
extension RoomPowerLevels {
    /// `user`'s level: their `users` entry, else `users_default` (a `null` default reads as 0).
    func checkReadable(user: some StringProtocol) throws(AuthorizationError) {
        guard let content, !creators.contains(where: { $0.rawValue.hasSameBytes(as: user) }) else { return }
        if let level = content["users"]?[String(user)] {
            try checkReadable(level, name: "users.\(user)")
        } else if let fallback = content["users_default"], !fallback.isNull {
            try checkReadable(fallback, name: "users_default")
        }
    }

    /// A named level such as `ban` or `invite` (a `null` one reads as the default).
    func checkReadable(named name: String) throws(AuthorizationError) {
        guard let level = content?[name], !level.isNull else { return }
        try checkReadable(level, name: name)
    }

    /// The level to send `eventType`: `events` must be an object; a missing or `null` entry falls back to
    /// `state_default` or `events_default`, which is read even when `null`.
    func checkReadable(eventType: String, isState: Bool) throws(AuthorizationError) {
        guard let content else { return }
        if let events = content["events"] {
            guard case .object = events else { throw AuthorizationError("Power levels' 'events' is not an object") }
            if let level = events[eventType], !level.isNull {
                try checkReadable(level, name: "events.\(eventType)")
                return
            }
        }
        let fallback = isState ? "state_default" : "events_default"
        if let level = content[fallback] { try checkReadable(level, name: fallback) }
    }

    private func checkReadable(_ level: JSONValue, name: String) throws(AuthorizationError) {
        guard PowerLevelValue.parse(level, version: version) != nil else {
            throw AuthorizationError("Power level '\(name)' is not a number")
        }
    }
}
