import Federation
import MatrixTypes
import Profiles

/// Other servers' users' profiles, asked of their server with `/_matrix/federation/v1/query/profile`; errors as
/// Synapse passes them on (the remote's 404 and 403, anything else `502 Failed to fetch profile`).
struct FederatedProfiles: RemoteProfiles {
    let serverName: ServerName
    let client: FederationClient

    func isRemote(_ user: UserID) -> Bool {
        !user.serverName.rawValue.hasSameBytes(as: serverName.rawValue)
    }

    func profile(of user: UserID) async throws(ProfileError) -> ProfileReader.Profile {
        let answer: JSONValue
        do {
            answer = try await client.get(
                FederationTarget.make("/_matrix/federation/v1/query/profile", query: [("user_id", user.rawValue)]), from: user.serverName
            )
        } catch {
            switch error {
            case .refused(404, _, _): throw .notFound
            case .refused(403, _, let message): throw .forbidden(message ?? "Profile isn't available")
            default: throw .remoteUnavailable("\(user.serverName): \(error)")
            }
        }
        return ProfileReader.Profile(displayName: answer["displayname"]?.stringValue, avatarURL: answer["avatar_url"]?.stringValue)
    }
}
