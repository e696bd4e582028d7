import MatrixTypes
import Rooms
import RoomStore

/// The users someone ignores (``IgnoredUserList``). Sync leaves out their non-state events and
/// their invites, as Synapse does; their state events stay, since they change the room for everyone in it.
struct IgnoredUsers: Sendable {
    static let none = IgnoredUsers(users: [])

    /// Compared byte for byte, as Matrix compares user IDs.
    let users: Set<JSONKey>

    init(content: JSONValue) {
        self.init(users: IgnoredUserList.users(in: content))
    }

    private init(users: Set<JSONKey>) {
        self.users = users
    }

    static func load(for user: UserID, from accountData: AccountDataService) async throws(RoomError) -> IgnoredUsers {
        do {
            return IgnoredUsers(content: try await accountData.get(type: IgnoredUserList.type, user: user, roomID: nil))
        } catch .accountDataNotFound {
            return .none
        }
    }

    func hides(_ event: RoomEvent) -> Bool {
        event.stateKey == nil && users.contains(JSONKey(event.sender.rawValue))
    }

    /// Whether the invite `record` stands for came from an ignored user (one event read, only when someone is ignored).
    func hidesInvite(_ record: MembershipRecord, store: RoomStore) async throws(RoomError) -> Bool {
        guard !users.isEmpty else { return false }
        let invite = try await roomStoreCall { () async throws(RoomStoreError) in try await store.events([record.eventID]) }.first
        return invite.map { users.contains(JSONKey($0.sender.rawValue)) } ?? false
    }
}
