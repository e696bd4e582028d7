public import MatrixTypes

/// What room membership needs of profiles (kept by the `Profiles` module, which sits above this one).
public protocol MemberProfiles: Sendable {
    /// The `m.room.member` content for `membership` carrying the user's display name and avatar, as Synapse sends
    /// on joins and invites; only the membership when the user has no profile or it cannot be read.
    func memberContent(_ membership: String, of user: UserID) async -> JSONValue
}
