public import MatrixTypes

/// Memberships that need another server (implemented over federation above this module): joining or knocking on a
/// room this server does not hold, rejecting an invite to one (or withdrawing a knock), and inviting another server's
/// user, whose server must countersign the invite. Once a call returns, the event is stored here as if it were local.
public protocol RemoteMemberships: Sendable {
    /// Joins `user` with member `content` through the first of `servers` that lets them in.
    func join(_ roomID: RoomID, user: UserID, content: JSONValue, via servers: [ServerName]) async throws(RoomError)
    /// Knocks on a room this server does not hold for `user` with member `content`, through the first of `servers`
    /// that takes it; the knock is stored apart from any room history, with the room's stripped state for `user`'s sync.
    func knock(_ roomID: RoomID, user: UserID, content: JSONValue, via servers: [ServerName]) async throws(RoomError)
    /// Rejects `user`'s invite to a room this server does not hold (or withdraws their knock), through one of `servers`.
    func leave(_ roomID: RoomID, user: UserID, via servers: [ServerName]) async throws(RoomError)
    /// Invites `target`, a user of another server, to a room this server is in.
    func invite(_ target: UserID, to roomID: RoomID, by sender: UserID, content: JSONValue) async throws(RoomError)
}
