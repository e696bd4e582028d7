import MatrixTypes
import Rooms
import RoomStore
import Storage

/// The rooms an initial sync lists as left even without `include_leave`: those the user was kicked or banned from,
/// which Synapse always sends down; only rooms the user left themselves wait for `include_leave`.
enum RemovedRooms {
    /// Of `records` (the user's memberships), the rooms someone else removed them from; the leave events are read
    /// in one go.
    static func among(_ records: [MembershipRecord], user: UserID, timeline: any TimelineReads) async throws(RoomError) -> Set<RoomID> {
        let current = records.filter { !$0.forgotten }
        let banned = current.filter { $0.membership.hasSameBytes(as: Membership.ban) }.map(\.roomID)
        let left = current.filter { $0.membership.hasSameBytes(as: Membership.leave) }.map(\.eventID)
        guard !left.isEmpty else { return Set(banned) }
        let leaves = try await RoomError.catching { try await timeline.events(left) }
        return Set(banned).union(leaves.filter { $0.sender != user }.map(\.roomID))
    }
}
