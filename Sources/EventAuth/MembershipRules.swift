import MatrixTypes

/// The `m.room.member` rules: who may join, invite, leave, kick, ban and knock.
enum MembershipRules {
    static func check(_ context: AuthContext) throws(AuthorizationError) {
        let event = context.event
        guard let target = event.stateKey else { throw AuthorizationError("A membership event needs a state_key") }
        guard let membershipValue = event.content["membership"] else {
            throw AuthorizationError("A membership event needs content.membership")
        }
        let membership = membershipValue.stringValue ?? ""
        if membership.hasSameBytes(as: Membership.join), isCreatorsFirstJoin(context, target: target) { return }
        // Synapse reads the target's server from the state key for every other membership change.
        guard DomainPart.of(target) != nil else { throw AuthorizationError("The state key \(target) is not a user ID") }
        try context.checkFederation(of: target)
        // Synapse reads these levels for every membership change, whether or not the change needs them.
        try context.powers.checkReadable(user: event.sender.rawValue)
        try context.powers.checkReadable(user: target)
        try context.powers.checkReadable(named: "invite")
        try context.powers.checkReadable(named: "ban")
        if membership.hasSameBytes(as: Membership.join) {
            try checkJoin(context, target: target)
        } else if membership.hasSameBytes(as: Membership.invite) {
            try checkInvite(context, target: target)
        } else if membership.hasSameBytes(as: Membership.leave) {
            try checkLeave(context, target: target)
        } else if membership.hasSameBytes(as: Membership.ban) {
            try checkBan(context, target: target)
        } else if membership.hasSameBytes(as: Membership.knock), context.rules.allowsKnocking {
            try checkKnock(context, target: target)
        } else {
            throw AuthorizationError("Unknown membership \(membershipValue)")
        }
    }

    private static func checkJoin(_ context: AuthContext, target: String) throws(AuthorizationError) {
        let sender = context.event.sender.rawValue
        guard target.hasSameBytes(as: sender) else { throw AuthorizationError("\(sender) cannot make \(target) join") }
        guard !context.membership(of: sender, isOneOf: Membership.ban) else {
            throw AuthorizationError("\(sender) is banned")
        }
        let rule = context.joinRule ?? ""
        let invitedOrJoined = context.membership(of: sender, isOneOf: Membership.invite, Membership.join)
        if rule.hasSameBytes(as: JoinRule.public) { return }
        if isRestricted(rule, rules: context.rules) {
            if invitedOrJoined { return }
            try checkAuthorisingUser(context)
            return
        }
        if rule.hasSameBytes(as: JoinRule.invite) || (context.rules.allowsKnocking && rule.hasSameBytes(as: JoinRule.knock)) {
            guard invitedOrJoined else { throw AuthorizationError("\(sender) is not invited") }
            return
        }
        throw AuthorizationError("The join rule \(rule.debugDescription) does not let \(sender) join")
    }

    /// The room's creator joining right after the create event.
    private static func isCreatorsFirstJoin(_ context: AuthContext, target: String) -> Bool {
        let event = context.event
        guard event.prevEventIDs.count == 1, let create = context.create, event.prevEventIDs[0] == create.eventID else {
            return false
        }
        let creator = context.rules.usesCreateEventSenderAsCreator
            ? create.sender.rawValue : create.content["creator"]?.stringValue
        return creator?.hasSameBytes(as: target) == true
    }

    private static func isRestricted(_ rule: String, rules: AuthRules) -> Bool {
        (rules.allowsRestrictedJoins && rule.hasSameBytes(as: JoinRule.restricted))
            || (rules.allowsKnockRestrictedJoins && rule.hasSameBytes(as: JoinRule.knockRestricted))
    }

    /// A restricted join names a joined member able to invite, whose server vouches for it
    /// (that server's signature is checked with the event's other signatures).
    private static func checkAuthorisingUser(_ context: AuthContext) throws(AuthorizationError) {
        guard let authoriser = context.event.content["join_authorised_via_users_server"]?.stringValue else {
            throw AuthorizationError("A restricted join needs join_authorised_via_users_server")
        }
        guard context.membership(of: authoriser, isOneOf: Membership.join) else {
            throw AuthorizationError("The authorising user \(authoriser) is not joined")
        }
        try context.powers.checkReadable(user: authoriser)
        guard context.powers.userLevel(authoriser) >= context.powers.invite else {
            throw AuthorizationError("The authorising user \(authoriser) may not invite")
        }
    }

    private static func checkInvite(_ context: AuthContext, target: String) throws(AuthorizationError) {
        let event = context.event
        if event.content["third_party_invite"] != nil {
            guard !context.membership(of: target, isOneOf: Membership.ban) else {
                throw AuthorizationError("\(target) is banned")
            }
            try ThirdPartyInviteRule.check(context, target: target)
            return
        }
        guard context.membership(of: event.sender.rawValue, isOneOf: Membership.join) else {
            throw AuthorizationError("\(event.sender) is not joined, so cannot invite")
        }
        guard !context.membership(of: target, isOneOf: Membership.join, Membership.ban) else {
            throw AuthorizationError("\(target) is already joined or banned")
        }
        let level = context.senderLevel()
        guard level >= context.powers.invite else {
            throw AuthorizationError("\(event.sender) may not invite (level \(level) < \(context.powers.invite))")
        }
    }

    private static func checkLeave(_ context: AuthContext, target: String) throws(AuthorizationError) {
        let sender = context.event.sender.rawValue
        if target.hasSameBytes(as: sender) {
            let mayLeave = context.membership(of: sender, isOneOf: Membership.invite, Membership.join)
                || (context.rules.allowsKnocking && context.membership(of: sender, isOneOf: Membership.knock))
            guard mayLeave else { throw AuthorizationError("\(sender) is not in the room, so cannot leave") }
            return
        }
        guard context.membership(of: sender, isOneOf: Membership.join) else {
            throw AuthorizationError("\(sender) is not joined, so cannot kick")
        }
        let level = context.senderLevel()
        if context.membership(of: target, isOneOf: Membership.ban), level < context.powers.ban {
            throw AuthorizationError("\(sender) may not unban (level \(level) < \(context.powers.ban))")
        }
        try context.powers.checkReadable(named: "kick")
        guard level >= context.powers.kick, context.powers.userLevel(target) < level else {
            throw AuthorizationError("\(sender) may not kick \(target)")
        }
    }

    private static func checkBan(_ context: AuthContext, target: String) throws(AuthorizationError) {
        let sender = context.event.sender.rawValue
        guard context.membership(of: sender, isOneOf: Membership.join) else {
            throw AuthorizationError("\(sender) is not joined, so cannot ban")
        }
        let level = context.senderLevel()
        guard level >= context.powers.ban, context.powers.userLevel(target) < level else {
            throw AuthorizationError("\(sender) may not ban \(target)")
        }
    }

    private static func checkKnock(_ context: AuthContext, target: String) throws(AuthorizationError) {
        let sender = context.event.sender.rawValue
        let rule = context.joinRule ?? ""
        let knockable = rule.hasSameBytes(as: JoinRule.knock)
            || (context.rules.allowsKnockRestrictedJoins && rule.hasSameBytes(as: JoinRule.knockRestricted))
        guard knockable else { throw AuthorizationError("The join rule \(rule.debugDescription) does not allow knocking") }
        guard target.hasSameBytes(as: sender) else { throw AuthorizationError("\(sender) cannot knock for \(target)") }
        guard !context.membership(of: sender, isOneOf: Membership.ban, Membership.invite, Membership.join) else {
            throw AuthorizationError("\(sender) is banned, invited or joined, so cannot knock")
        }
    }
}
