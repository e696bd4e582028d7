/// Which state an event's `auth_events` are drawn from (server-server API, "Auth events selection").
///
/// Both sides of federation use this: a server building an event selects these entries from its current state, and
/// the authorisation rules reject an event whose auth events fall outside them.
public enum AuthEventSelection {
    /// The state slots whose current events authorise an event with these fields; empty for the create event.
    public static func stateKeys(
        type: String,
        sender: UserID,
        stateKey: String?,
        content: JSONValue,
        version: RoomVersion
    ) -> Set<StateKey> {
        if type.hasSameBytes(as: EventType.create), stateKey?.isEmpty == true { return [] }
        var keys: Set<StateKey> = [.powerLevels, .member(sender.rawValue)]
        if version.authRules.requiresCreateEventInAuthEvents { keys.insert(.create) }
        guard type.hasSameBytes(as: EventType.member) else { return keys }

        if let stateKey { keys.insert(.member(stateKey)) }
        let membership = content["membership"]?.stringValue ?? ""
        if [Membership.join, Membership.invite, Membership.knock].contains(where: membership.hasSameBytes) {
            keys.insert(.joinRules)
        }
        if membership.hasSameBytes(as: Membership.invite),
           let token = content["third_party_invite"]?["signed"]?["token"]?.stringValue {
            keys.insert(StateKey(EventType.thirdPartyInvite, token))
        }
        if version.authRules.allowsRestrictedJoins, membership.hasSameBytes(as: Membership.join),
           let authoriser = content["join_authorised_via_users_server"]?.stringValue {
            keys.insert(.member(authoriser))
        }
        return keys
    }

    /// The state slots `event`'s auth events must come from.
    public static func stateKeys(for event: PDU) -> Set<StateKey> {
        stateKeys(type: event.type, sender: event.sender, stateKey: event.stateKey, content: event.content, version: event.version)
    }

    /// The `auth_events` for a new event with these fields, taken from `state` and sorted so that builders agree.
    public static func authEventIDs(
        type: String,
        sender: UserID,
        stateKey: String?,
        content: JSONValue,
        version: RoomVersion,
        state: StateMap
    ) -> [EventID] {
        stateKeys(type: type, sender: sender, stateKey: stateKey, content: content, version: version)
            .compactMap { state[$0] }
            .sorted()
    }
}
