public import Accounts
public import MatrixTypes
public import Storage

/// Local users' profiles, read only: what other servers ask for over federation, answered by a process that writes
/// no profile.
public struct ProfileReader: Sendable {
    public struct Profile: Sendable, Equatable {
        public var displayName: String?
        public var avatarURL: String?

        public init(displayName: String?, avatarURL: String?) {
            self.displayName = displayName
            self.avatarURL = avatarURL
        }
    }

    let database: any Database
    let users: UserLookup

    public init(database: any Database, users: UserLookup) {
        self.database = database
        self.users = users
    }

    /// The profile of a local user (`notFound` when there is no such user). A stored profile is read alone: only
    /// users who exist have one; otherwise the accounts say whether the user exists, and the name is the localpart.
    public func profile(of user: UserID) async throws(ProfileError) -> Profile {
        let stored = try await ProfileError.catching {
            try await database.read { connection in try ProfilesTable.find(userID: user.rawValue, in: connection) }
        }
        if let stored { return Profile(displayName: stored.displayName, avatarURL: stored.avatarURL) }
        guard try await ProfileError.catching({ try await users.exists(user) }) else { throw .notFound }
        return Profile(displayName: user.localpart, avatarURL: nil)
    }
}
