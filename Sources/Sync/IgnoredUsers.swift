import AccountData
import MatrixTypes
import Rooms
import RoomStore
import Storage

/// The users someone ignores (``IgnoredUserList``), read once per sync. The timeline leaves out their non-state
/// events (``EventFilter/ignoredSenders``) and the invite section their invites, as Synapse does.
struct IgnoredUsers: Sendable {
    /// Compared byte for byte, as Matrix compares user IDs.
    let users: Set<JSONKey>

    static func load(for user: UserID, from accountData: any AccountDataReads) async throws(RoomError) -> IgnoredUsers {
        IgnoredUsers(users: try await RoomError.catching { try await IgnoredUserList.load(for: user, from: accountData) })
    }

    /// Whether the invite `record` stands for came from an ignored user (one event read, only when someone is ignored).
    func hidesInvite(_ record: MembershipRecord, timeline: any TimelineReads) async throws(RoomError) -> Bool {
        guard !users.isEmpty else { return false }
        let invite = try await RoomError.catching { try await timeline.events([record.eventID]) }.first
        return invite.map { users.contains(JSONKey($0.sender.rawValue)) } ?? false
    }
}
