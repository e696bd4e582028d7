import AccountData
import CoreMetrics
import E2EE
import Foundation
public import Logging
public import MatrixTypes
import Presence
import Receipts
public import Replication
public import Rooms
import RoomStore
import Storage
import Synchronization
import Typing

/// `/sync`: initial and incremental, long-polling on the notifier. Every section reads only rows between the
/// request's token and the current positions, which are read from memory.
public final class SyncService: Sendable {
    private let sources: SyncSources
    private let notifier: Notifier
    private let lazyMembers = LazyMemberRecord()
    /// Each user's memberships and the notifier mark they were read at; a notice naming the user makes them stale.
    /// An idle long-poll needs no query, and a busy one no membership query.
    private let membershipCache = Mutex<[UserID: (records: [MembershipRecord], mark: UInt64)]>([:])
    /// Each user's ignore list and the account data position it was read at: it cannot change without that stream
    /// advancing, so a busy long-poll reads it once, not once per response.
    private let ignoredCache = Mutex<[UserID: (ignored: IgnoredUsers, position: Int64)]>([:])
    /// The most users either cache holds; a new user past that clears it.
    private let cachedUsers: Int
    private let logger: Logger
    /// How long a request whose token is ahead of this process (another writer's events not yet seen here) waits
    /// for it to catch up before answering empty with the same token (Synapse waits 10 s).
    private let catchUpTimeout: Duration
    /// Responses built, for the metrics endpoint (database work per response is the ratio of the two counts); a
    /// long-poll woken by news that holds nothing for it builds one and waits on.
    private let built = Counter(label: "axon_sync_responses_built_total")

    /// - Parameter cachedUsers: how many users' memberships and ignore lists are kept; past that all are forgotten
    ///   and read again (a read per user, not a loss).
    public init(
        sources: SyncSources, notifier: Notifier, logger: Logger, catchUpTimeout: Duration = .seconds(10), cachedUsers: Int = 10_000
    ) {
        self.sources = sources
        self.notifier = notifier
        self.logger = logger
        self.catchUpTimeout = catchUpTimeout
        self.cachedUsers = cachedUsers
    }

    /// The positions every stream has reached, from memory.
    public func currentToken() -> SyncToken {
        SyncToken(
            events: notifier.eventsPositions, receipts: sources.receipts.position, accountData: sources.accountData.position,
            typingEpoch: sources.typing.epoch, typing: sources.typing.position, presence: sources.presence.position,
            toDevice: sources.encryption.toDevicePosition, deviceLists: sources.encryption.deviceListsPosition
        )
    }

    /// Where `token`'s events stand for `roomID`: at the room's writer's position.
    public func eventsPosition(in roomID: RoomID, of token: SyncToken) -> Int64 {
        token.events.position(in: roomID, ownership: notifier.ownership)
    }

    public func sync(_ request: SyncRequest) async throws(RoomError) -> JSONValue {
        let deadline = ContinuousClock.now + request.timeout
        try await RoomError.catching { try await sources.presence.syncing(request.user, presence: request.setPresence) }
        var since = request.since
        if let asked = since {
            guard let servable = try await servable(asked) else { return try await empty(next: asked, request) }
            since = servable
        }
        // Lazy-loaded members are tracked by the tokens handed out, so by the client's token as it came.
        let from = request.since
        lazyMembers.start(user: request.user, device: request.deviceID, since: from, reset: from == nil || request.fullState)
        while true {
            let mark = notifier.mark()
            let current = currentToken()
            let remaining = deadline - ContinuousClock.now
            if let known = since, known == current, !request.fullState {
                guard remaining > .zero else { return try await empty(next: current, request) }
                let rooms = Self.joined(try await memberships(of: request.user))
                await notifier.wait(since: mark, user: request.user, rooms: rooms, timeout: remaining)
                if Task.isCancelled { throw .cancelled }
                continue
            }
            let builder = SyncResponseBuilder(
                request: request, since: since, upTo: current,
                memberships: try await memberships(of: request.user, fresh: since == nil || request.fullState),
                sources: sources, notifier: notifier,
                lazyMembers: lazyMembers, ignored: try await ignoredUsers(of: request.user)
            )
            let response = try await builder.build()
            built.increment()
            if !response.isEmpty || since == nil || request.fullState || remaining <= .zero {
                lazyMembers.issued(user: request.user, device: request.deviceID, since: from, next: response.next, added: response.lazySent)
                return response.json
            }
            since = current
            await notifier.wait(since: mark, user: request.user, rooms: response.syncedRooms, timeout: remaining)
            if Task.isCancelled { throw .cancelled }
        }
    }

    /// A response with nothing new but the device's key counts, which every response carries (clients rely on them).
    private func empty(next: SyncToken, _ request: SyncRequest) async throws(RoomError) -> JSONValue {
        var response = SyncResponseBuilder.empty(next: next)
        guard let device = request.deviceID else { return response }
        let counts = try await RoomError.catching { try await sources.encryption.keyCounts(of: request.user, device: device) }
        SyncResponseBuilder.add(keyCounts: counts, to: &response)
        return response
    }

    /// `token` as this process can serve it, or `nil` if it is ahead of this process and did not catch up in time.
    ///
    /// Events positions recorded under another list of writers are read at their lowest (`EventPositions.read`). A
    /// position beyond anything ever allocated can never be reached: it is bounded to the persisted position, as
    /// Synapse bounds tokens from the future. One this process has not reached yet (another writer's commits not
    /// seen here) is waited for, a bounded time. Receipts, account data and device lists have one writer, the main
    /// process: a position ahead of this process's is bounded to it (at worst a change is told again). The to-device
    /// position is kept: below it the device acknowledged every message, and going back would deliver them again.
    private func servable(_ token: SyncToken) async throws(RoomError) -> SyncToken? {
        var token = token
        let current = currentToken()
        token.events = token.events.read(under: notifier.ownership)
        token.receipts = min(token.receipts, current.receipts)
        token.accountData = min(token.accountData, current.accountData)
        token.deviceLists = min(token.deviceLists, current.deviceLists)
        guard !current.events.reaches(token.events) else { return token }
        let allocated = try await RoomError.catching { try await sources.timeline.maxAllocated() }
        if !EventPositions(allocated).reaches(token.events) {
            logger.warning("bounding a sync token from the future", metadata: ["events": "\(token.events)", "bound": "\(current.events)"])
            token.events = token.events.lowered(to: current.events)
            return token
        }
        guard await notifier.waitForEvents(reaching: token.events, timeout: catchUpTimeout) else {
            logger.warning("timed out waiting for the events stream to reach a sync token", metadata: ["events": "\(token.events)"])
            return nil
        }
        return token
    }

    /// `user`'s memberships, from the cache unless a notice about the user made it stale or the sync is an
    /// initial one (which also sees forgotten rooms disappear).
    private func memberships(of user: UserID, fresh: Bool = false) async throws(RoomError) -> [MembershipRecord] {
        if !fresh, let cached = membershipCache.withLock({ $0[user] }), !notifier.changed(since: cached.mark, user: user, rooms: []) {
            return cached.records
        }
        let mark = notifier.mark()
        let records = try await RoomError.catching { try await sources.memberships.memberships(of: user) }
        membershipCache.withLock { cache in
            if cache.count >= cachedUsers, cache[user] == nil { cache.removeAll(keepingCapacity: true) }
            cache[user] = (records, mark)
        }
        return records
    }

    private func ignoredUsers(of user: UserID) async throws(RoomError) -> IgnoredUsers {
        let position = sources.accountData.position
        if let cached = ignoredCache.withLock({ $0[user] }), cached.position == position { return cached.ignored }
        let ignored = try await IgnoredUsers.load(for: user, from: sources.accountData)
        ignoredCache.withLock { cache in
            if cache.count >= cachedUsers, cache[user] == nil { cache.removeAll(keepingCapacity: true) }
            cache[user] = (ignored, position)
        }
        return ignored
    }

    static func joined(_ records: [MembershipRecord]) -> Set<RoomID> {
        Set(records.filter { $0.membership == Membership.join }.map(\.roomID))
    }
}
