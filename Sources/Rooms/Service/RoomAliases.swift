public import MatrixTypes

/// What room actions need of aliases and the public directory (kept by the `Directory` module, which sits above
/// this one): resolving an alias to join or check an `m.room.canonical_alias`, and `createRoom`'s alias and
/// listing.
public protocol RoomAliases: Sendable {
    /// The room `alias` points to; `nil` when unknown or reserved for a room still being created.
    func roomID(for alias: RoomAlias) async throws(RoomError) -> RoomID?
    /// The room another server's `alias` points to and servers to join it through, asked of that server
    /// (`aliasNotFound` when it knows no such alias or this server does not federate).
    func remoteRoom(for alias: RoomAlias) async throws(RoomError) -> (roomID: RoomID, servers: [ServerName])
    /// Takes `alias` for a room about to be created (`aliasInUse` when taken), so two requests racing for it cannot
    /// both create rooms naming it.
    func reserve(_ alias: RoomAlias, creator: UserID) async throws(RoomError)
    /// Gives back a reservation whose room was never written.
    func release(_ alias: RoomAlias) async
    /// Points a reserved alias at the room now written.
    func bind(_ alias: RoomAlias, to roomID: RoomID) async throws(RoomError)
    /// Lists a new room its creator asked to make public, where `room_list_publication_rules` allow it (a room they
    /// refuse is still created, only not listed, as in Synapse).
    func publishNewRoom(_ roomID: RoomID, creator: UserID, alias: RoomAlias?) async throws(RoomError)
}
