public import MatrixTypes

/// The `m.ignored_user_list` account data: the users someone ignores are the keys of its `ignored_users` object,
/// compared byte for byte; content of any other shape ignores nobody, as Synapse reads it.
public enum IgnoredUserList {
    public static let type = "m.ignored_user_list"

    public static func users(in content: JSONValue) -> Set<JSONKey> {
        Set((content["ignored_users"]?.objectValue?.keys ?? []).map(JSONKey.init))
    }

    /// The users `user` ignores now (nobody when the account data was never set).
    public static func load(for user: UserID, from accountData: any AccountDataReads) async throws(AccountDataError) -> Set<JSONKey> {
        do {
            return users(in: try await accountData.get(type: type, user: user, roomID: nil))
        } catch .notFound {
            return []
        }
    }
}
