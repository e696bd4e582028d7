import EventAuth
import MatrixCrypto
public import MatrixTypes
public import RoomStore
import Storage

/// Who vouches for a join to a restricted room (`restricted`, and `knock_restricted` where the room version has
/// them): one of this server's members with the power to invite, named in `join_authorised_via_users_server`, once
/// the joining user is found joined to one of the rooms the join rule allows, as this server holds them. Used for
/// this server's own users' joins and for other servers' (`make_join`).
public struct RestrictedJoins: Sendable {
    let store: RoomStore
    let versions: RoomVersions
    let serverName: ServerName

    public init(store: RoomStore, serverName: ServerName) {
        self.store = store
        self.versions = RoomVersions(store: store)
        self.serverName = serverName
    }

    /// The member of this server who authorises `user`'s join to `roomID` as its current state stands, or `nil` when
    /// the join needs none (another join rule; a user already joined or invited). Refused when `user` is joined to
    /// none of the allowed rooms this server holds (`forbidden`), when it holds none of them (`cannotAuthoriseJoin`),
    /// or when none of its members there may invite (`cannotGrantJoin`: another server may).
    public func authoriser(of user: UserID, joining roomID: RoomID) async throws(RoomError) -> UserID? {
        let version = try await versions.version(of: roomID)
        let member = StateKey.member(user.rawValue)
        let slots = try await RoomError.catching {
            try await store.currentSlots([.create, .powerLevels, .joinRules, member], in: [roomID])
        }[roomID] ?? [:]
        func pdu(_ key: StateKey) -> PDU? { slots[key].flatMap { try? PDU(bytes: $0.json, version: version) } }
        guard let joinRules = pdu(.joinRules), let rule = joinRules.content["join_rule"]?.stringValue,
            (version.authRules.allowsRestrictedJoins && rule.hasSameBytes(as: JoinRule.restricted))
                || (version.authRules.allowsKnockRestrictedJoins && rule.hasSameBytes(as: JoinRule.knockRestricted))
        else { return nil }
        if let membership = pdu(member)?.membership,
            [Membership.join, Membership.invite].contains(where: { $0.hasSameBytes(as: membership) })
        {
            return nil
        }
        try await checkAllowed(user, by: joinRules.content["allow"])
        let levels = RoomPowerLevels(create: pdu(.create), powerLevels: pdu(.powerLevels), version: version)
        let local = try await RoomError.catching { try await store.members(of: roomID, membership: Membership.join) }
            .filter { $0.serverName == serverName && levels.userLevel($0.rawValue) >= levels.invite }
        // The most powerful first, as the one least likely to lose the power before the join lands.
        guard let chosen = local.max(by: { (levels.userLevel($0.rawValue), $1.rawValue) < (levels.userLevel($1.rawValue), $0.rawValue) }) else {
            throw .cannotGrantJoin("No user of \(serverName) in the room may invite; try another server")
        }
        return chosen
    }

    /// Whether `user` is joined to one of the rooms `allow` lists (`m.room_membership` conditions) that this server
    /// holds.
    private func checkAllowed(_ user: UserID, by allow: JSONValue?) async throws(RoomError) {
        let rooms = (allow?.arrayValue ?? []).compactMap { condition -> RoomID? in
            guard condition["type"]?.stringValue?.hasSameBytes(as: "m.room_membership") == true else { return nil }
            return condition["room_id"]?.stringValue.flatMap { try? RoomID($0) }
        }
        var heldAny = false
        for room in rooms {
            guard try await RoomError.catching({ try await store.hasJoinedMember(of: serverName, in: room) }) else { continue }
            heldAny = true
            if try await RoomError.catching({ try await store.membership(of: user, in: room) })?.hasSameBytes(as: Membership.join) == true {
                return
            }
        }
        guard heldAny else { throw .cannotAuthoriseJoin("This server is in none of the rooms whose members may join") }
        throw .forbidden("You do not belong to any of the required rooms to join this room")
    }
}
