import Foundation
public import MatrixTypes
public import Replication
import RoomStore
import Storage
import Synchronization

/// Users' presence (`online`, `unavailable`, `offline`, a status message, when last active), held only in memory on
/// the main process, one entry per user who set it. Positions count changes since `epoch`, shared with typing (the
/// process's start), so a sync token from before a restart is answered with the current presence. A process that
/// does not write presence holds a copy, kept from the writer's notices (`follow`).
public final class PresenceService: PresenceSource {
    public static let states: Set<String> = ["online", "unavailable", "offline"]

    private struct Entry {
        var presence: String
        var statusMessage: String?
        /// When the user was last online (ms since the epoch); 0 when never.
        var lastActive: Int64
        var changed: Int64
    }

    private struct State {
        var epoch: Int64
        var position: Int64 = 0
        var entries: [UserID: Entry] = [:]
    }

    /// `presence.enabled`: when off, everyone reads as offline and nothing is recorded.
    public let enabled: Bool
    private let state: Mutex<State>
    private let store: RoomStore
    private let bus: any ReplicationBus
    /// Set in a process that follows presence: syncing users are reported to the writer.
    private let forwarding: (any PresenceForwarding)?
    private let clock: @Sendable () -> Int64

    public init(
        enabled: Bool, epoch: Int64, store: RoomStore, bus: any ReplicationBus, forwarding: (any PresenceForwarding)? = nil,
        clock: @escaping @Sendable () -> Int64 = currentMilliseconds
    ) {
        self.enabled = enabled
        self.state = Mutex(State(epoch: epoch))
        self.store = store
        self.bus = bus
        self.forwarding = forwarding
        self.clock = clock
    }

    public var epoch: Int64 { state.withLock { $0.epoch } }
    public var position: Int64 { state.withLock { $0.position } }

    /// Keeps this copy equal to the writer's from the presence notices on `bus` (the followed streams).
    public func follow(_ bus: any ReplicationBus) {
        bus.subscribe { [weak self] notice in
            guard let self, notice.stream == .presence, let user = notice.users.first, case .presence(let epoch, let row)? = notice.row else {
                return
            }
            self.state.withLock { state in
                if state.epoch != epoch { state = State(epoch: epoch) }
                guard notice.position > state.position else { return }
                state.position = notice.position
                state.entries[user] = Entry(
                    presence: row.presence, statusMessage: row.statusMessage, lastActive: row.lastActive, changed: notice.position
                )
            }
        }
    }

    /// `PUT /presence/{userId}/status`: `requester` sets their own state and replaces the status message (cleared
    /// when absent).
    public func set(_ presence: String, statusMessage: String?, user: UserID, requester: UserID) async throws(PresenceError) {
        guard user == requester else { throw .notOwnState }
        guard Self.states.contains(where: { $0.hasSameBytes(as: presence) }) else { throw .invalidState }
        try await update(user) { entry in
            entry.presence = presence
            entry.statusMessage = statusMessage
        }
    }

    /// `/sync?set_presence=`: `offline` leaves the state alone, as in Synapse; the status message is kept.
    public func syncing(_ user: UserID, presence: String) async throws(PresenceError) {
        guard presence != "offline", enabled else { return }
        if let forwarding { return await forwarding.syncing(user, presence: presence) }
        try await update(user) { $0.presence = presence }
    }

    /// Another server's user's presence as their server reported it (an `m.presence` EDU): taken for a user joined
    /// to a room held here, their last activity `lastActiveAgo` milliseconds before now.
    public func remote(
        _ presence: String, statusMessage: String?, lastActiveAgo: Int64?, user: UserID
    ) async throws(PresenceError) {
        guard enabled, Self.states.contains(where: { $0.hasSameBytes(as: presence) }) else { return }
        guard try await !joinedRooms(of: user).isEmpty else { return }
        let now = clock()
        try await update(user, refreshingActivity: false) { entry in
            entry.presence = presence
            entry.statusMessage = statusMessage
            // Bounded to the epoch: an absurd value must not make the next subtraction overflow.
            if let lastActiveAgo { entry.lastActive = now - min(max(lastActiveAgo, 0), max(now, 0)) }
        }
    }

    /// `GET /presence/{userId}/status` as `viewer` sees it: their own, or that of someone sharing a room with them.
    public func status(of user: UserID, viewer: UserID) async throws(PresenceError) -> JSONObject {
        guard enabled else { return ["presence": "offline"] }
        if user != viewer {
            let shared = try await joinedRooms(of: viewer).intersection(try await joinedRooms(of: user))
            guard !shared.isEmpty else { throw .notVisible }
        }
        return content(state.withLock { $0.entries[user] }, now: clock())
    }

    /// `m.presence` events for `user` and those sharing `rooms` with them whose presence changed in `(after, upTo]`
    /// (everyone's current presence, offline left out, for an initial sync or a token from another epoch).
    public func changes(
        for user: UserID, rooms: Set<RoomID>, after: Int64?, upTo: Int64, epoch tokenEpoch: Int64?
    ) async throws(PresenceError) -> [JSONValue] {
        guard enabled else { return [] }
        let initial = after == nil || tokenEpoch != self.epoch
        let since = initial ? 0 : after ?? 0
        let changed = state.withLock { state in state.entries.filter { $0.value.changed > since && $0.value.changed <= upTo } }
        guard !changed.isEmpty else { return [] }
        var visible: Set<UserID> = [user]
        for room in rooms where !changed.keys.allSatisfy(visible.contains) {
            let members = try await PresenceError.catching { try await store.members(of: room, membership: Membership.join) }
            visible.formUnion(members)
        }
        let now = clock()
        return changed.filter { visible.contains($0.key) && !(initial && $0.value.presence == "offline") }
            .sorted { $0.key.rawValue.utf8.lexicographicallyPrecedes($1.key.rawValue.utf8) }
            .map { user, entry in ["type": "m.presence", "sender": .string(user.rawValue), "content": .object(content(entry, now: now))] }
    }

    private func content(_ entry: Entry?, now: Int64) -> JSONObject {
        guard let entry else { return ["presence": "offline"] }
        return PresenceRow(presence: entry.presence, statusMessage: entry.statusMessage, lastActive: entry.lastActive).content(now: now)
    }

    /// Applies `change`, refreshing the last-active time while online (for a local user), and announces a visible
    /// change to the user and their rooms' members.
    private func update(_ user: UserID, refreshingActivity: Bool = true, _ change: (inout Entry) -> Void) async throws(PresenceError) {
        guard enabled else { return }
        let now = clock()
        let changed = state.withLock { state -> (position: Int64, epoch: Int64, entry: Entry)? in
            let old = state.entries[user]
            var entry = old ?? Entry(presence: "offline", statusMessage: nil, lastActive: 0, changed: 0)
            change(&entry)
            if refreshingActivity, entry.presence == "online" { entry.lastActive = now }
            let wasActive = old.map { $0.presence == "online" && now - $0.lastActive < PresenceRow.currentlyActiveWindow } ?? false
            let visible = old == nil || old?.presence != entry.presence || Self.bytes(old?.statusMessage) != Self.bytes(entry.statusMessage)
                || (entry.presence == "online" && !wasActive)
            if visible {
                state.position += 1
                entry.changed = state.position
            }
            state.entries[user] = entry
            return visible ? (state.position, state.epoch, entry) : nil
        }
        guard let (position, epoch, entry) = changed else { return }
        let row = PresenceRow(presence: entry.presence, statusMessage: entry.statusMessage, lastActive: entry.lastActive)
        bus.publish(StreamNotice(stream: .presence, position: position, users: [user], row: .presence(epoch: epoch, state: row)))
        for room in try await joinedRooms(of: user) { bus.publish(StreamNotice(stream: .presence, position: position, roomID: room)) }
    }

    private static func bytes(_ text: String?) -> [UInt8]? { text.map { Array($0.utf8) } }

    private func joinedRooms(of user: UserID) async throws(PresenceError) -> Set<RoomID> {
        let records = try await PresenceError.catching { try await store.memberships(of: user) }
        return Set(records.filter { $0.membership == Membership.join }.map(\.roomID))
    }
}
