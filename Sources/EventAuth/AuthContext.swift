import MatrixTypes

/// The state an event is checked against, with the lookups the rules make.
struct AuthContext {
    let event: PDU
    let state: [StateKey: PDU]
    let powers: RoomPowerLevels

    init(event: PDU, state: [StateKey: PDU]) {
        self.event = event
        self.state = state
        powers = RoomPowerLevels(state: state, version: event.version)
    }

    var version: RoomVersion { event.version }
    var rules: AuthRules { event.version.authRules }
    var create: PDU? { state[.create] }

    /// `user`'s current membership, or `nil` when they have none (or it is not a string).
    func membership(of user: some StringProtocol) -> String? {
        state[.member(user)]?.membership
    }

    func membership(of user: some StringProtocol, isOneOf memberships: String...) -> Bool {
        guard let membership = membership(of: user) else { return false }
        return memberships.contains { membership.hasSameBytes(as: $0) }
    }

    /// The join rule: `invite` when no event or no `join_rule` sets one; `nil` when `join_rule` is not a string.
    var joinRule: String? {
        guard let rule = state[.joinRules]?.content["join_rule"] else { return JoinRule.invite }
        return rule.stringValue
    }

    func senderLevel() -> Int64 { powers.userLevel(event.sender.rawValue) }

    /// Whether users of other servers than the creator's may take part: unless `m.federate` is exactly `true` when
    /// present, they may not. Synapse reads any other value (`false`, `0`, `"false"`, `null`) as refusing, and an
    /// event one server accepts and the other refuses splits the room.
    var federates: Bool {
        guard let federate = create?.content["m.federate"] else { return true }
        return federate == .bool(true)
    }

    /// Refuses an event involving `user` (the sender, or a membership's target) when the room does not federate and
    /// `user` is on another server than the creator.
    func checkFederation(of user: String) throws(AuthorizationError) {
        guard !federates, let create else { return }
        guard let domain = DomainPart.of(user) else { throw AuthorizationError("\(user) has no server name") }
        guard domain.hasSameBytes(as: DomainPart.of(create.sender.rawValue) ?? "") else {
            throw AuthorizationError("The room does not federate and \(user) is on another server")
        }
    }
}
