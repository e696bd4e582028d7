public import MatrixTypes
import Storage

/// A member's current membership, changed within a stream range.
public struct MembershipChange: Sendable, Equatable {
    public var roomID: RoomID
    public var userID: UserID
    public var membership: String
}

/// Who shares rooms with a user: whom a change to the user's devices concerns, and whose devices the user must track.
extension RoomStore {
    /// Every user joined to a room `user` is joined to, `user` included when joined anywhere.
    public func usersSharingJoinedRoom(with user: UserID) async throws(RoomStoreError) -> [UserID] {
        let users = try await read { connection throws(StorageError) in
            try RoomMembershipsTable.usersSharingJoinedRoom(with: user.rawValue, in: connection)
        }
        return users.compactMap { try? UserID($0) }
    }

    /// Those of `candidates` joined to a room `user` is joined to (an encrypted room, with `encryptedOnly`).
    public func sharingJoinedRoom(with user: UserID, among candidates: [UserID], encryptedOnly: Bool) async throws(RoomStoreError) -> Set<UserID> {
        var sharing: Set<UserID> = []
        for start in stride(from: 0, to: candidates.count, by: Self.candidatesPerQuery) {
            let chunk = candidates[start..<min(start + Self.candidatesPerQuery, candidates.count)].map(\.rawValue)
            let found = try await read { connection throws(StorageError) in
                try RoomMembershipsTable.sharingJoinedRoom(with: user.rawValue, among: chunk, encryptedOnly: encryptedOnly, in: connection)
            }
            sharing.formUnion(found.compactMap { try? UserID($0) })
        }
        return sharing
    }

    /// Membership changes at stream orderings in `(after, upTo]` in encrypted rooms `user` is joined to, and `user`'s
    /// own changes in encrypted rooms, at most `limit`.
    public func encryptedRoomMembershipChanges(
        seenBy user: UserID, after: Int64, upTo: Int64, limit: Int
    ) async throws(RoomStoreError) -> [MembershipChange] {
        let rows = try await read { connection throws(StorageError) in
            try RoomMembershipsTable.encryptedRoomChanges(seenBy: user.rawValue, after: after, upTo: upTo, limit: limit, in: connection)
        }
        return rows.compactMap { row in
            guard let roomID = try? RoomID(row.roomID), let member = try? UserID(row.userID) else { return nil }
            return MembershipChange(roomID: roomID, userID: member, membership: row.membership)
        }
    }

    private static let candidatesPerQuery = 500
}
