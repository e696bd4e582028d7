public import MatrixTypes

/// Other servers' room directories: their aliases and public room lists, asked of them (over federation).
public protocol RemoteDirectories: Sendable {
    /// The room `alias` (of another server) names and servers to join it through; `aliasNotFound` when that server
    /// knows no such alias.
    func resolve(_ alias: RoomAlias) async throws(DirectoryError) -> ResolvedAlias
    /// A page of `server`'s public room list, as that server answers it.
    func publicRooms(on server: ServerName, limit: Int?, since: String?, searchTerm: String?) async throws(DirectoryError) -> JSONValue
}

/// Where an alias points: the room, and servers that can be asked to join it.
public struct ResolvedAlias: Sendable, Equatable {
    public var roomID: RoomID
    public var servers: [String]

    public init(roomID: RoomID, servers: [String]) {
        self.roomID = roomID
        self.servers = servers
    }
}
