public import Federation
public import MatrixTypes
public import Spaces

/// Other servers' space hierarchies, asked with `/_matrix/federation/v1/hierarchy/{roomId}` for rooms this server
/// is not in; the walk (`SpaceHierarchy`) checks, bounds and caches what comes back.
public struct FederatedHierarchies: RemoteHierarchies {
    let client: FederationClient
    /// A page waits for up to `SpaceHierarchy`'s call budget of these one after another: one short try each.
    static let timeout: Duration = .seconds(10)

    public init(client: FederationClient) {
        self.client = client
    }

    public func hierarchy(of roomID: RoomID, suggestedOnly: Bool, from server: ServerName) async throws(SpacesError) -> JSONValue {
        do {
            return try await client.get(
                FederationTarget.make(
                    "/_matrix/federation/v1/hierarchy/\(FederationTarget.encoded(roomID.rawValue))",
                    query: [("suggested_only", suggestedOnly ? "true" : "false")]
                ),
                from: server, retrying: false, timeout: Self.timeout
            )
        } catch {
            throw .remoteUnavailable("/hierarchy of \(roomID) from \(server): \(error)")
        }
    }
}
