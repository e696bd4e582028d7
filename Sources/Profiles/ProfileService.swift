public import Accounts
public import Logging
public import MatrixTypes
public import RoomStore
public import Rooms
public import Storage

/// A user's display name and avatar. A change is also written into every room the user is joined to, through the
/// room writer, as a new `m.room.member` event.
public final class ProfileService: Sendable {
    public typealias Profile = ProfileReader.Profile

    private let database: any Database
    private let users: UserLookup
    private let writer: any EventWriting
    private let store: RoomStore
    private let fanOuts = ProfileFanOuts()
    private let logger: Logger
    /// `limit_profile_requests_to_users_who_share_rooms`.
    private let sharedRoomsOnly: Bool
    /// Where other servers' users' profiles come from; without it they are unknown.
    private let remote: (any RemoteProfiles)?

    public init(
        database: any Database, users: UserLookup, writer: any EventWriting, store: RoomStore, sharedRoomsOnly: Bool = false,
        remote: (any RemoteProfiles)? = nil, logger: Logger
    ) {
        self.database = database
        self.users = users
        self.writer = writer
        self.store = store
        self.sharedRoomsOnly = sharedRoomsOnly
        self.remote = remote
        self.logger = logger
    }

    /// A profile lookup through the client API: another server's user is asked of their server. With
    /// `sharedRoomsOnly`, a requester may read only their own profile and those of users they share a joined room with
    /// (MSC1301); an anonymous lookup is not limited, as in Synapse.
    public func lookUp(_ user: UserID, by requester: UserID?) async throws(ProfileError) -> Profile {
        if sharedRoomsOnly, let requester, !user.rawValue.hasSameBytes(as: requester.rawValue) {
            let mine = try await joinedRooms(of: requester)
            guard !mine.isDisjoint(with: try await joinedRooms(of: user)) else {
                throw .forbidden("Profile isn't available")
            }
        }
        if let remote, remote.isRemote(user) { return try await remote.profile(of: user) }
        return try await profile(of: user)
    }

    private func joinedRooms(of user: UserID) async throws(ProfileError) -> Set<[UInt8]> {
        let rooms = try await ProfileError.catching { try await store.rooms(of: user, membership: "join") }
        return Set(rooms.map { Array($0.rawValue.utf8) })
    }

    /// The profile of a local user (`notFound` when there is no such user).
    public func profile(of user: UserID) async throws(ProfileError) -> Profile {
        try await ProfileReader(database: database, users: users).profile(of: user)
    }

    /// A `guest`'s new member events keep following the guest access rules.
    public func setDisplayName(_ name: String?, of user: UserID, requester: UserID, guest: Bool = false) async throws(ProfileError) {
        if let name, name.utf8.count > 256 || name.utf8.contains(0) {
            throw .invalid("displayname must be at most 256 bytes, without NUL characters")
        }
        var profile = try await editable(user, requester: requester)
        profile.displayName = name
        try await save(profile, of: user, guest: guest)
    }

    public func setAvatarURL(_ url: String?, of user: UserID, requester: UserID) async throws(ProfileError) {
        if let url, url.utf8.count > 1_000 || url.utf8.contains(0) {
            throw .invalid("avatar_url must be at most 1000 bytes, without NUL characters")
        }
        var profile = try await editable(user, requester: requester)
        profile.avatarURL = url
        try await save(profile, of: user)
    }

    private func editable(_ user: UserID, requester: UserID) async throws(ProfileError) -> Profile {
        guard user == requester else { throw .forbidden("You may only change your own profile") }
        return try await profile(of: user)
    }

    private func save(_ profile: Profile, of user: UserID, guest: Bool = false) async throws(ProfileError) {
        try await ProfileError.catching {
            try await database.write { transaction in
                try ProfilesTable.upsert(
                    userID: user.rawValue, displayName: profile.displayName, avatarURL: profile.avatarURL, in: transaction
                )
            }
        }
        let change = fanOuts.begin(user)
        defer { fanOuts.end(change, of: user) }
        let rooms = try await ProfileError.catching { try await store.rooms(of: user, membership: "join") }
        let content = await memberContent("join", of: user)
        for roomID in rooms {
            guard fanOuts.isNewest(change, of: user) else {
                logger.debug("profile change superseded by a newer one", metadata: ["user": "\(user)"])
                return
            }
            let intent = EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: content, byGuest: guest)
            do {
                _ = try await writer.write(WriteUnit(target: .existing(roomID), intents: [intent]))
            } catch {
                logger.warning("profile change not written to room", metadata: ["room": "\(roomID)", "error": "\(error)"])
            }
        }
    }
}

extension ProfileService: MemberProfiles {
    public func memberContent(_ membership: String, of user: UserID) async -> JSONValue {
        var content: JSONObject = ["membership": .string(membership)]
        if let profile = try? await profile(of: user) {
            if let name = profile.displayName { content["displayname"] = .string(name) }
            if let avatar = profile.avatarURL { content["avatar_url"] = .string(avatar) }
        }
        return .object(content)
    }
}
