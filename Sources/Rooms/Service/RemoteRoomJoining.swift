public import MatrixTypes

/// Joining a room this server does not hold, through servers that do (implemented over federation above this
/// module): once it returns, the room and the join are stored here as if the join were local.
public protocol RemoteRoomJoining: Sendable {
    /// Joins `user` with member `content` through the first of `servers` that lets them in.
    func join(_ roomID: RoomID, user: UserID, content: JSONValue, via servers: [ServerName]) async throws(RoomError)
}
