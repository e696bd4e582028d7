public import MatrixTypes
public import RoomStore
public import Spaces

/// `/_matrix/federation/v1/hierarchy/{roomId}` as other servers ask it: the room's `m.room.server_acl` must admit
/// the origin (`403` otherwise, as other reads answer), and a child whose ACL denies it counts as inaccessible.
public struct FederationHierarchyAnswers: Sendable {
    let hierarchy: SpaceHierarchy
    let acl: ServerACLCheck

    public init(hierarchy: SpaceHierarchy, store: RoomStore) {
        self.hierarchy = hierarchy
        acl = ServerACLCheck(store: store)
    }

    public func answer(for roomID: RoomID, origin: ServerName, suggestedOnly: Bool) async throws(SpacesError) -> JSONValue {
        guard try await admits(origin, roomID) else { throw .forbidden("Server is banned from room") }
        let acl = acl
        return try await hierarchy.federationHierarchy(of: roomID, origin: origin, suggestedOnly: suggestedOnly) { room in
            (try? await acl.denies(origin, in: room)) == false
        }
    }

    private func admits(_ origin: ServerName, _ roomID: RoomID) async throws(SpacesError) -> Bool {
        do {
            return try await !acl.denies(origin, in: roomID)
        } catch {
            throw SpacesError(wrapping: error)
        }
    }
}
