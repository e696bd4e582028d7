import Accounts
public import Logging
public import MatrixTypes
public import RoomStore
import Storage

/// Room actions of local users: creating rooms, membership, sending, state and redactions. Every change goes
/// through the room writer as an intent.
public final class RoomService: Sendable {
    let store: RoomStore
    let writer: any EventWriting
    let versions: RoomVersions
    let profiles: any MemberProfiles
    let aliases: any RoomAliases
    /// Joins to rooms held elsewhere and invites of other servers' users; `nil` where this server does not federate.
    let remote: (any RemoteMemberships)?
    /// Who vouches for joins to restricted rooms here.
    let restrictedJoins: RestrictedJoins
    let serverName: ServerName
    let defaultVersion: RoomVersion
    let limits: RoomLimits
    let logger: Logger

    public init(
        store: RoomStore, writer: any EventWriting, profiles: any MemberProfiles, aliases: any RoomAliases,
        serverName: ServerName, defaultVersion: RoomVersion, limits: RoomLimits, remote: (any RemoteMemberships)? = nil, logger: Logger
    ) {
        self.remote = remote
        self.restrictedJoins = RestrictedJoins(store: store, serverName: serverName)
        self.store = store
        self.writer = writer
        self.versions = RoomVersions(store: store)
        self.profiles = profiles
        self.aliases = aliases
        self.serverName = serverName
        self.defaultVersion = defaultVersion
        self.limits = limits
        self.logger = logger
    }

    public func createRoom(_ request: RoomCreationRequest, creator: UserID) async throws(RoomError) -> RoomID {
        let versionName = request.roomVersion ?? defaultVersion.identifier
        guard let version = RoomVersion(identifier: versionName) else { throw .unsupportedRoomVersion(versionName) }
        var alias: RoomAlias?
        if let name = request.aliasName {
            guard let parsed = try? RoomAlias("#\(name):\(serverName.rawValue)"), !name.contains(":"), !name.utf8.contains(0) else {
                throw .badRequest("Invalid characters in room alias")
            }
            alias = parsed
        }
        try chargeCreation(request, creator: creator)
        var plan = RoomCreationPlan(
            request: request, creator: creator, version: version,
            creatorMember: await profiles.memberContent(Membership.join, of: creator), canonicalAlias: alias
        )
        if remote != nil { plan.invitedLater = Set(request.invite.filter { $0.serverName != serverName }) }
        // The alias is taken before the room is written, so two requests racing for it cannot both create rooms
        // naming it; a room that then fails to be written gives it back.
        if let alias { try await aliases.reserve(alias, creator: creator) }
        let written: [WrittenEvent]
        do {
            written = try await writer.write(WriteUnit(target: .new(version), intents: try plan.intents()))
        } catch {
            if let alias { await aliases.release(alias) }
            if case .forbidden(let reason) = error { throw .invalidRoomState(reason) }
            throw error
        }
        let roomID = written[0].roomID
        if let alias { try await aliases.bind(alias, to: roomID) }
        if request.visibility == "public" { try await aliases.publishNewRoom(roomID, creator: creator, alias: alias) }
        if let remote {
            // As Synapse does, a remote invite that fails is logged and the room still exists.
            for invitee in request.invite where plan.invitedLater.contains(invitee) {
                do {
                    try await remote.invite(invitee, to: roomID, by: creator, content: plan.inviteContent)
                } catch {
                    logger.warning("inviting a user of another server to a new room failed", metadata: ["invitee": "\(invitee)", "error": "\(error)"])
                }
            }
        }
        return roomID
    }

    /// Joins by room ID or alias; returns the room joined. A `guest` joins only rooms open to guests. A room this
    /// server is not in is joined through another server: `via` (the request's `server_name`/`via`), the servers
    /// another server's alias names, or the server in the room ID.
    public func join(_ target: String, user: UserID, guest: Bool = false, via: [ServerName] = []) async throws(RoomError) -> RoomID {
        let (roomID, servers) = try await locate(target, via: via)
        if try await store.membershipIfAny(of: user, in: roomID) == Membership.join { return roomID }
        try await chargeMembership(Membership.join, of: user, in: roomID, by: user)
        let content = await profiles.memberContent(Membership.join, of: user)
        if let remote, !guest, try await !RoomError.catching({ try await store.hasJoinedMember(of: serverName, in: roomID) }) {
            try await remote.join(roomID, user: user, content: content, via: try await remoteServers(for: user, in: roomID, adding: servers))

        } else {
            var content = content
            if let authoriser = try await restrictedJoins.authoriser(of: user, joining: roomID) {
                content["join_authorised_via_users_server"] = .string(authoriser.rawValue)
            }
            try await setMembership(Membership.join, of: user, in: roomID, by: user, content: content, guest: guest)
        }
        countJoin(in: roomID)
        return roomID
    }

    /// The room `target` (an ID or alias) names, and the servers to reach it through if it is held elsewhere: `via`,
    /// plus those another server's alias names.
    private func locate(_ target: String, via: [ServerName]) async throws(RoomError) -> (RoomID, [ServerName]) {
        if target.hasPrefix("#"), let alias = try? RoomAlias(target), alias.serverName != serverName {
            let located = try await aliases.remoteRoom(for: alias)
            return (located.roomID, via + located.servers)
        }
        return (try await resolve(target), via)
    }

    /// Servers to reach a room this server does not hold through: `given`, the room ID's server, and the server of
    /// an invite `user` holds; `roomNotFound` when there is none.
    private func remoteServers(for user: UserID, in roomID: RoomID, adding given: [ServerName] = []) async throws(RoomError) -> [ServerName] {
        var servers = given
        if let server = roomID.serverName { servers.append(server) }
        if let record = try await RoomError.catching({ try await store.membershipRecord(of: user, in: roomID) }),
            record.membership.hasSameBytes(as: Membership.invite),
            let invite = try await RoomError.catching({ try await store.event(record.eventID) })
        {
            servers.append(invite.sender.serverName)
        }
        var seen: Set<ServerName> = [serverName]
        servers = servers.filter { seen.insert($0).inserted }
        guard !servers.isEmpty else { throw .roomNotFound }
        return servers
    }

    /// Asks to join a room whose join rule allows knocking; by room ID or alias. A room this server is not in is
    /// knocked on through another server, found as for a join.
    public func knock(_ target: String, user: UserID, reason: String?, via: [ServerName] = []) async throws(RoomError) -> RoomID {
        let (roomID, servers) = try await locate(target, via: via)
        var content = await profiles.memberContent(Membership.knock, of: user)
        if let reason { content["reason"] = .string(reason) }
        if let remote, try await !RoomError.catching({ try await store.hasJoinedMember(of: serverName, in: roomID) }) {
            try await remote.knock(roomID, user: user, content: content, via: try await remoteServers(for: user, in: roomID, adding: servers))
        } else {
            try await setMembership(Membership.knock, of: user, in: roomID, by: user, content: content)
        }
        return roomID
    }

    /// Hides a room the user has left from their sync until a new membership; refused while joined or invited.
    public func forget(_ roomID: RoomID, user: UserID) async throws(RoomError) {
        switch try await store.membershipIfAny(of: user, in: roomID) {
        case nil: throw .roomNotFound
        case Membership.join?, Membership.invite?, Membership.knock?: throw .badRequest("The user must leave the room before forgetting it")
        default: break
        }
        _ = try await RoomError.catching { try await store.forget(roomID, user: user) }
    }

    public func leave(_ roomID: RoomID, user: UserID, guest: Bool = false) async throws(RoomError) {
        guard let current = try await store.membershipIfAny(of: user, in: roomID) else { throw .forbidden("You are not in this room") }
        if current == Membership.leave { return }
        if let remote, try await !RoomError.catching({ try await store.hasJoinedMember(of: serverName, in: roomID) }) {
            try await remote.leave(roomID, user: user, via: try await remoteServers(for: user, in: roomID))
            return
        }
        try await setMembership(Membership.leave, of: user, in: roomID, by: user, content: ["membership": .string(Membership.leave)], guest: guest)
    }

    /// What one member does to another's membership.
    public enum MembershipAction: Sendable {
        case invite, kick, ban, unban

        var membership: String {
            switch self {
            case .invite: Membership.invite
            case .kick, .unban: Membership.leave
            case .ban: Membership.ban
            }
        }
    }

    /// Invite, kick, ban and unban `target`, as `sender`. Kicking needs the target in the room and unbanning needs
    /// them banned, as Synapse checks, so neither turns into the other.
    public func changeMembership(
        _ action: MembershipAction, of target: UserID, in roomID: RoomID, by sender: UserID, reason: String?
    ) async throws(RoomError) {
        let current = try await store.membershipIfAny(of: target, in: roomID)
        switch action {
        case .kick where ![Membership.join, Membership.invite, Membership.knock].contains(current ?? ""):
            throw .badState("The user is not in the room")
        case .unban where current != Membership.ban:
            throw .badState("The user is not banned")
        default:
            break
        }
        let membership = action.membership
        try await chargeMembership(membership, of: target, in: roomID, by: sender)
        var content: JSONValue = membership == Membership.invite
            ? await profiles.memberContent(membership, of: target) : ["membership": .string(membership)]
        if let reason { content["reason"] = .string(reason) }
        if action == .invite, target.serverName != serverName, let remote {
            try await remote.invite(target, to: roomID, by: sender, content: content)
            return
        }
        try await setMembership(membership, of: target, in: roomID, by: sender, content: content)
    }

    /// A redaction sent this way is checked as one sent through `/redact`: it needs `content.redacts` naming an
    /// event of the same room, and the redact power level for someone else's event. Without a `transaction`
    /// (the legacy `POST /send/{type}`) every call is a new event.
    public func send(
        _ content: JSONValue, type: String, to roomID: RoomID, sender: UserID, transaction: ClientTransaction?
    ) async throws(RoomError) -> EventID {
        var redacts: EventID?
        if type == EventType.redaction {
            guard let target = content["redacts"]?.stringValue.flatMap({ try? EventID($0) }) else {
                throw .badRequest("A redaction needs 'redacts' naming the event to redact")
            }
            redacts = target
        }
        return try await write(
            roomID, EventIntent(sender: sender, type: type, content: content, transaction: transaction, redacts: redacts)
        )
    }

    /// A `guest` sender's membership events follow the guest access rules (`GuestAccessRules`).
    public func setState(
        _ content: JSONValue, type: String, stateKey: String, in roomID: RoomID, sender: UserID, guest: Bool = false
    ) async throws(RoomError) -> EventID {
        if type == EventType.create { throw .forbidden("m.room.create cannot be changed") }
        if type == EventType.redaction { throw .badRequest("Redactions are not state events") }
        if type.hasSameBytes(as: CanonicalAliasCheck.key.type) {
            try await CanonicalAliasCheck(store: store, aliases: aliases).check(content, in: roomID)
        }
        var joins = false
        if type.hasSameBytes(as: EventType.member), let membership = content["membership"]?.stringValue, let target = try? UserID(stateKey) {
            joins = try await chargeMembership(membership, of: target, in: roomID, by: sender)
        }
        let eventID = try await write(
            roomID, EventIntent(sender: sender, type: type, stateKey: stateKey, content: content, keepsIdenticalState: true, byGuest: guest)
        )
        if joins { countJoin(in: roomID) }
        return eventID
    }

    public func redact(
        _ eventID: EventID, in roomID: RoomID, reason: String?, transaction: ClientTransaction
    ) async throws(RoomError) -> EventID {
        let version = try await versions.version(of: roomID)
        var content: JSONValue = [:]
        if let reason { content["reason"] = .string(reason) }
        if version.redactionRules == .v11 { content["redacts"] = .string(eventID.rawValue) }
        let intent = EventIntent(
            sender: transaction.userID, type: EventType.redaction, content: content, transaction: transaction, redacts: eventID
        )
        return try await write(roomID, intent)
    }

    private func resolve(_ target: String) async throws(RoomError) -> RoomID {
        if target.hasPrefix("#") {
            guard let alias = try? RoomAlias(target) else { throw .badRequest("Invalid room alias \(target)") }
            guard let found = try await aliases.roomID(for: alias) else { throw .aliasNotFound }
            return found
        }
        guard let roomID = try? RoomID(target) else { throw .badRequest("Invalid room ID or alias \(target)") }
        return roomID
    }

    private func setMembership(
        _ membership: String, of target: UserID, in roomID: RoomID, by sender: UserID, content: JSONValue, guest: Bool = false
    ) async throws(RoomError) {
        _ = try await write(
            roomID, EventIntent(sender: sender, type: EventType.member, stateKey: target.rawValue, content: content, byGuest: guest)
        )
    }

    /// `rc_room_creation`, checked before anything is counted, then counted; and the invite list against what
    /// `rc_invites.per_room` would allow the creator, as Synapse checks it (refused as a bad request).
    private func chargeCreation(_ request: RoomCreationRequest, creator: UserID) throws(RoomError) {
        try limits.roomCreation.check(creator.rawValue, record: false)
        if !request.invite.isEmpty,
            limits.invitesPerRoom.limit(creator.rawValue, cost: Double(request.invite.count), record: false) != nil
        {
            throw .badRequest("Cannot invite so many users at once")
        }
        try limits.roomCreation.check(creator.rawValue)
    }

    /// The join and invite limits of a membership change by a local user (Synapse's `_local_membership_update`).
    /// A join by someone already joined (a profile update) is not a join for `rc_joins`. `rc_joins_per_room` is
    /// only checked here: returns whether the change is a join, which the caller counts once it is written.
    @discardableResult
    private func chargeMembership(
        _ membership: String, of target: UserID, in roomID: RoomID, by sender: UserID
    ) async throws(RoomError) -> Bool {
        if membership.hasSameBytes(as: Membership.join) {
            guard try await store.membershipIfAny(of: target, in: roomID) != Membership.join else { return false }
            try limits.joinsLocal.check(sender.rawValue)
            try limits.joinsPerRoom.check(roomID.rawValue, record: false)
            return true
        }
        if membership.hasSameBytes(as: Membership.invite) {
            try limits.invitesPerRoom.check(roomID.rawValue)
            try limits.invitesPerUser.check(target.rawValue)
            try limits.invitesPerIssuer.check(sender.rawValue)
        }
        return false
    }

    /// Counts a written join in the room's `rc_joins_per_room` bucket.
    private func countJoin(in roomID: RoomID) {
        _ = limits.joinsPerRoom.limit(roomID.rawValue, record: true)
    }

    private func write(_ roomID: RoomID, _ intent: EventIntent) async throws(RoomError) -> EventID {
        try await writer.write(WriteUnit(target: .existing(roomID), intents: [intent]))[0].eventID
    }
}

extension RoomStore {
    /// The membership string, reporting failures as `RoomError`.
    func membershipIfAny(of user: UserID, in roomID: RoomID) async throws(RoomError) -> String? {
        try await RoomError.catching { try await membership(of: user, in: roomID) }
    }
}
