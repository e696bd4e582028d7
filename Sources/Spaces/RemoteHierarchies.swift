public import MatrixTypes

/// Other servers' answers to `/_matrix/federation/v1/hierarchy/{roomId}`, for rooms this server is not in.
/// Implemented over federation; the hierarchy checks and bounds what comes back.
public protocol RemoteHierarchies: Sendable {
    /// `server`'s answer as it came, or `remoteUnavailable` (also for a refusal).
    func hierarchy(of roomID: RoomID, suggestedOnly: Bool, from server: ServerName) async throws(SpacesError) -> JSONValue
}
