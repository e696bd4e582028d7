public import MatrixTypes

/// Profiles of users on other servers, asked of their server (over federation).
public protocol RemoteProfiles: Sendable {
    /// Whether `user` lives on another server.
    func isRemote(_ user: UserID) -> Bool
    /// `user`'s profile as their server answers it: `notFound` when it knows no such user, `forbidden` when it
    /// refuses, `remoteUnavailable` when it cannot be reached.
    func profile(of user: UserID) async throws(ProfileError) -> ProfileReader.Profile
}
