import MatrixTypes

extension PDU {
    /// Power levels, join rules, the create event, and kicks and bans: the events that can take abilities away,
    /// which state resolution v2 replays first.
    var isPowerEvent: Bool {
        switch stateMapKey {
        case .powerLevels?, .joinRules?, .create?:
            return true
        default:
            guard hasType(EventType.member), let stateKey, let membership,
                  membership.hasSameBytes(as: Membership.leave) || membership.hasSameBytes(as: Membership.ban)
            else { return false }
            return !stateKey.hasSameBytes(as: sender.rawValue)
        }
    }
}
