import MatrixTypes

/// The authorisation rules of every room version, as pure functions.
///
/// An event is checked three times on receipt: against its own auth events (``authorize(_:using:)``), against the
/// state before it, and against the room's current state (both ``check(_:against:)``). State resolution re-runs
/// ``check(_:against:)`` on conflicted events.
public enum EventAuthorizer {
    /// The full check against the event's own auth events: the rules that look only at the event and its
    /// `auth_events`, then the state rules with those auth events as the state.
    public static func authorize(_ event: PDU, using events: some EventProvider) throws(AuthorizationError) {
        let state = try checkAuthEvents(of: event, using: events)
        try check(event, against: state)
    }

    /// The rules that do not depend on room state: the create event's own rules, the room ID of a v12 room naming
    /// an accepted create event, and the shape of `auth_events` (no duplicates, only selected state, none rejected,
    /// all in the same room, the create event present where the version requires it).
    ///
    /// Returns the auth events keyed by state slot (plus the create event a v12 room ID implies), which is the
    /// state to check the remaining rules against.
    @discardableResult
    public static func checkAuthEvents(
        of event: PDU,
        using events: some EventProvider
    ) throws(AuthorizationError) -> [StateKey: PDU] {
        if event.hasType(EventType.create) {
            try CreateEventRules.check(event)
            return [:]
        }
        return try AuthEventsRules.check(event, using: events)
    }

    /// The rules that depend on room state, checked against `state` (which must hold at least the slots
    /// ``AuthEventSelection`` names for the event that have an event).
    public static func check(_ event: PDU, against state: [StateKey: PDU]) throws(AuthorizationError) {
        if event.hasType(EventType.create) { return }
        let context = AuthContext(event: event, state: state)
        guard context.create != nil else { throw AuthorizationError("No m.room.create event in the state") }
        try context.checkFederation(of: event.sender.rawValue)
        if context.rules.specialCasesAliasesEvents, event.hasType(EventType.aliases) {
            guard let stateKey = event.stateKey, stateKey.hasSameBytes(as: event.sender.serverName.rawValue) else {
                throw AuthorizationError("m.room.aliases must have the sender's server name as its state key")
            }
            return
        }
        if event.hasType(EventType.member) {
            try MembershipRules.check(context)
            return
        }
        guard context.membership(of: event.sender.rawValue, isOneOf: Membership.join) else {
            throw AuthorizationError("\(event.sender) is not joined to the room")
        }
        let powers = context.powers
        try powers.checkReadable(user: event.sender.rawValue)
        let senderLevel = context.senderLevel()
        if event.hasType(EventType.thirdPartyInvite) {
            try powers.checkReadable(named: "invite")
            guard senderLevel >= context.powers.invite else {
                throw AuthorizationError("\(event.sender) may not invite (level \(senderLevel) < \(context.powers.invite))")
            }
            return
        }
        try powers.checkReadable(eventType: event.type, isState: event.isState)
        let required = powers.requiredLevel(eventType: event.type, isState: event.isState)
        guard senderLevel >= required else {
            throw AuthorizationError("\(event.sender) has level \(senderLevel), below \(required) for \(event.type)")
        }
        if let stateKey = event.stateKey, stateKey.utf8.first == UInt8(ascii: "@"),
           !stateKey.hasSameBytes(as: event.sender.rawValue) {
            throw AuthorizationError("Only \(stateKey) may set state under their own user ID")
        }
        if event.hasType(EventType.powerLevels) {
            try PowerLevelsRules.check(context)
        }
        if event.hasType(EventType.redaction) {
            try powers.checkReadable(named: "redact")  // read in every version, though only v1–v2 decide on it
            if context.rules.checksRedactionsAndEventIDServer { try LegacyRedactionRule.check(context) }
        }
    }
}
