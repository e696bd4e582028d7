public import MatrixTypes
public import Replication
public import RoomStore
public import Storage

/// The `device_lists` stream: each change to a user's devices or cross-signing keys at a position, announced to the
/// local users who share a room with them, and read back as each user's `device_lists` changes.
public final class DeviceListStream: Sendable {
    private let database: any Database
    private let stream: StreamAccess
    private let bus: any ReplicationBus
    private let store: RoomStore
    private let serverName: ServerName

    public init(database: any Database, stream: StreamAccess, bus: any ReplicationBus, store: RoomStore, serverName: ServerName) {
        self.database = database
        self.stream = stream
        self.bus = bus
        self.store = store
        self.serverName = serverName
    }

    public var position: Int64 { stream.persistedUpTo }
    public var allocatedUpTo: Int64 { stream.allocatedUpTo }
    public func positions() -> AsyncStream<Int64> { stream.positions() }

    /// Runs `body` in one transaction with a stream position at which the devices `body` returns (of `user`) changed,
    /// then tells the local users who share a room with the user (`sharing`, when the caller has read them already). A local user's change is also queued, in the same
    /// transaction, for every other server sharing a room with them. Nothing is recorded when `body` names no device;
    /// an empty device ID stands for the user's cross-signing keys.
    func write<T: Sendable>(
        changeOf user: UserID, sharing known: [UserID]? = nil,
        _ body: @escaping @Sendable (any Transaction) throws -> (value: T, devices: [String])
    ) async throws(E2EEError) -> T {
        var sharing = known ?? []
        if known == nil { sharing = try await E2EEError.catching { try await store.usersSharingJoinedRoom(with: user) } }
        let servers = isLocal(user) ? Set(sharing.map(\.serverName).filter { !self.isLocal($0) }) : []
        let (result, position) = try await E2EEError.catching {
            try await stream.writer(StreamName.deviceLists.rawValue).write { transaction, streamID in
                let result = try body(transaction)
                let devices = Self.distinct(result.devices)
                guard !devices.isEmpty else { return result }
                try DeviceListsTable.append(streamID: streamID, userID: user.rawValue, deviceIDs: devices, in: transaction)
                guard !servers.isEmpty else { return result }
                for edu in try DeviceListUpdates.updates(of: user, devices: devices, streamID: streamID, in: transaction) {
                    try EncryptionOutbox.queue(edu, for: servers, in: transaction)
                }
                return result
            }
        }
        if !result.devices.isEmpty {
            bus.publish(StreamNotice(stream: .deviceLists, position: position, users: concerned(by: user, sharing: sharing)))
        }
        return result.value
    }

    /// `devices` with repeats (by bytes) left out, in order.
    private static func distinct(_ devices: [String]) -> [String] {
        var seen: Set<JSONKey> = []
        return devices.filter { seen.insert(JSONKey($0)).inserted }
    }

    /// A change another server told us of: its user's devices (or, for an empty ID, cross-signing keys) changed.
    /// Recorded only while a local user shares a room with them, as Synapse takes such updates.
    func remoteChange(of user: UserID, devices: [String]) async throws(E2EEError) {
        guard !isLocal(user) else { return }
        let sharing = try await E2EEError.catching { try await store.usersSharingJoinedRoom(with: user) }
        guard sharing.contains(where: isLocal) else { return }
        try await write(changeOf: user, sharing: sharing) { _ in ((), devices) }
    }

    private func isLocal(_ user: UserID) -> Bool { isLocal(user.serverName) }
    private func isLocal(_ server: ServerName) -> Bool { server.rawValue.hasSameBytes(as: serverName.rawValue) }

    /// The local users a change to `user`'s devices concerns: the user (when local) and those joined to a room with them.
    private func concerned(by user: UserID, sharing: [UserID]) -> [UserID] {
        let local = sharing.filter(isLocal)
        return local.contains(user) || !isLocal(user) ? local : [user] + local
    }

    /// Most users a change list names, and most changed users looked at (pages of `pageSize`); past them, a client
    /// misses some changes until it next syncs from scratch.
    static let maximumUsers = 10_000
    static let pageSize = 5_000
    static let maximumPages = 20

    /// `user`'s device-list changes between two sync positions: device-list positions `(after, upTo]`, and, when
    /// `events` is given, membership changes in encrypted rooms at events stream orderings in that range.
    public func changes(
        for user: UserID, after: Int64, upTo: Int64, events: (after: Int64, upTo: Int64)?
    ) async throws(E2EEError) -> DeviceListChanges {
        try await E2EEError.catching {
            var changed: Set<UserID> = []
            var from = ""
            // Page through every changed user in ID order, keeping those sharing a room, up to the bound.
            for _ in 0..<Self.maximumPages where after < upTo && changed.count < Self.maximumUsers {
                let start = from
                let page = try await database.read { connection in
                    try DeviceListsTable.changedUsers(after: after, upTo: upTo, from: start, limit: Self.pageSize, in: connection)
                }
                let updated = page.compactMap { try? UserID($0) }
                changed.formUnion(try await store.sharingJoinedRoom(with: user, among: updated, encryptedOnly: false))
                if updated.contains(user) { changed.insert(user) }
                guard page.count == Self.pageSize, let last = page.last else { break }
                from = last
            }
            guard let events else { return DeviceListChanges(changed: Self.sorted(changed)) }
            var leftCandidates: Set<UserID> = []
            let memberships = try await store.encryptedRoomMembershipChanges(
                seenBy: user, after: events.after, upTo: events.upTo, limit: Self.maximumUsers
            )
            for change in memberships {
                let joined = change.membership == Membership.join
                if change.userID == user {
                    // The user joined or left the room: everyone in it is newly shared with, or may no longer be.
                    let members = try await store.members(of: change.roomID, membership: Membership.join)
                    if joined { changed.formUnion(members) } else { leftCandidates.formUnion(members) }
                } else if joined {
                    changed.insert(change.userID)
                } else if change.membership == Membership.leave || change.membership == Membership.ban {
                    leftCandidates.insert(change.userID)
                }
            }
            leftCandidates.remove(user)
            let stillSharing = try await store.sharingJoinedRoom(with: user, among: Array(leftCandidates), encryptedOnly: true)
            let left = leftCandidates.subtracting(stillSharing)
            changed.subtract(left)
            return DeviceListChanges(changed: Self.sorted(changed), left: Self.sorted(left))
        }
    }

    /// `/keys/changes`: `user`'s changes between two sync tokens.
    public func changes(for user: UserID, from: SyncToken, to: SyncToken) async throws(E2EEError) -> DeviceListChanges {
        try await changes(
            for: user, after: from.deviceLists, upTo: min(to.deviceLists, position),
            events: (from.events.minimum, to.events.writers.max() ?? to.events.minimum)
        )
    }

    private static func sorted(_ users: Set<UserID>) -> [UserID] {
        users.sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }
    }

    /// The notices of the changes in `(after, upTo]`, read again for a process that missed them.
    public func notices(after: Int64, upTo: Int64) async throws(E2EEError) -> [StreamNotice] {
        let rows = try await CatchUpPages.notices(
            after: after,
            page: { from throws(E2EEError) in
                try await E2EEError.catching {
                    try await database.read { connection in
                        try DeviceListsTable.owners(after: from, upTo: upTo, limit: CatchUpPages.pageSize, in: connection)
                    }
                }
            },
            position: \.streamID,
            notice: { row in (try? UserID(row.userID)).map { StreamNotice(stream: .deviceLists, position: row.streamID, users: [$0]) } }
        )
        var notices: [StreamNotice] = []
        for var notice in rows {
            if let user = notice.users.first {
                notice.users = concerned(by: user, sharing: try await E2EEError.catching { try await store.usersSharingJoinedRoom(with: user) })
            }
            notices.append(notice)
        }
        return notices
    }
}
