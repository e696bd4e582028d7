public import MatrixTypes

/// The `rc_*` limits that need to know what a room action does, applied where Synapse applies them. `rc_message`
/// is not here: it is charged per user on every route that sends an event, before the body is read.
public struct RoomLimits: Sendable {
    /// `rc_room_creation`, per creator.
    public var roomCreation: any ActionLimiter
    /// `rc_joins.local`, per user joining a room this server is in (`rc_joins.remote` waits for federated joins).
    public var joinsLocal: any ActionLimiter
    /// `rc_joins_per_room`, per room: checked on a join, counted on every join the room receives.
    public var joinsPerRoom: any ActionLimiter
    /// `rc_invites.per_room`, per room; also caps a `createRoom`'s invite list, keyed by its creator.
    public var invitesPerRoom: any WeightedActionLimiter
    /// `rc_invites.per_user`, per invited user.
    public var invitesPerUser: any ActionLimiter
    /// `rc_invites.per_issuer`, per inviting user.
    public var invitesPerIssuer: any ActionLimiter

    public init(
        roomCreation: any ActionLimiter, joinsLocal: any ActionLimiter, joinsPerRoom: any ActionLimiter,
        invitesPerRoom: any WeightedActionLimiter, invitesPerUser: any ActionLimiter, invitesPerIssuer: any ActionLimiter
    ) {
        self.roomCreation = roomCreation
        self.joinsLocal = joinsLocal
        self.joinsPerRoom = joinsPerRoom
        self.invitesPerRoom = invitesPerRoom
        self.invitesPerUser = invitesPerUser
        self.invitesPerIssuer = invitesPerIssuer
    }
}

extension ActionLimiter {
    /// Throws `rateLimited` when `key` has no room left; with `record`, counts the action otherwise.
    func check(_ key: String, record: Bool = true) throws(RoomError) {
        if let wait = limit(key, record: record) { throw .rateLimited(retryAfterMilliseconds: wait) }
    }
}
