public import MatrixTypes
public import RoomStore

/// The `m.ignored_user_list` account data: the users someone ignores are the keys of its `ignored_users` object,
/// compared byte for byte; content of any other shape ignores nobody, as Synapse reads it.
public enum IgnoredUserList {
    public static let type = "m.ignored_user_list"

    public static func users(in content: JSONValue) -> Set<JSONKey> {
        Set((content["ignored_users"]?.objectValue?.keys ?? []).map(JSONKey.init))
    }

    /// Whether `event` is hidden from someone ignoring `users`: Synapse leaves out ignored users' non-state events
    /// from everything a client reads, and keeps their state events, which change the room for everyone.
    public static func hides(_ event: RoomEvent, ignoring users: Set<JSONKey>) -> Bool {
        event.stateKey == nil && users.contains(JSONKey(event.sender.rawValue))
    }
}

extension IgnoredUserList {
    /// The users `user` ignores now (nobody when the account data was never set).
    public static func load(for user: UserID, from accountData: AccountDataService) async throws(RoomError) -> Set<JSONKey> {
        do {
            return users(in: try await accountData.get(type: type, user: user, roomID: nil))
        } catch .accountDataNotFound {
            return []
        }
    }
}
