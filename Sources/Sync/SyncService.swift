import Foundation
public import Logging
public import MatrixTypes
public import Replication
public import Rooms
import RoomStore
import Synchronization

/// `/sync`: initial and incremental, long-polling on the notifier. Every section reads only rows between the
/// request's token and the current positions, which are read from memory.
public final class SyncService: Sendable {
    private let reader: RoomReader
    private let receipts: ReceiptService
    private let accountData: AccountDataService
    private let typing: TypingService
    private let notifier: Notifier
    private let lazyMembers = LazyMemberRecord()
    /// Each user's memberships and the notifier mark they were read at; a notice naming the user makes them stale.
    /// An idle long-poll needs no query, and a busy one no membership query.
    private let membershipCache = Mutex<[UserID: (records: [MembershipRecord], mark: UInt64)]>([:])
    private let logger: Logger

    public init(
        reader: RoomReader, receipts: ReceiptService, accountData: AccountDataService, typing: TypingService,
        notifier: Notifier, logger: Logger
    ) {
        self.reader = reader
        self.receipts = receipts
        self.accountData = accountData
        self.typing = typing
        self.notifier = notifier
        self.logger = logger
    }

    /// The positions every stream has reached, from memory.
    public func currentToken() -> SyncToken {
        SyncToken(
            events: notifier.eventsPosition, receipts: receipts.position, accountData: accountData.position,
            typingEpoch: typing.epoch, typing: typing.position
        )
    }

    public func sync(_ request: SyncRequest) async throws(RoomError) -> JSONValue {
        let deadline = ContinuousClock.now + request.timeout
        var since = request.since
        while true {
            let mark = notifier.mark()
            let current = currentToken()
            let remaining = deadline - ContinuousClock.now
            if let known = since, known == current, !request.fullState {
                guard remaining > .zero else { return SyncResponseBuilder.empty(next: current) }
                let rooms = Self.joined(try await memberships(of: request.user))
                await notifier.wait(since: mark, user: request.user, rooms: rooms, timeout: remaining)
                if Task.isCancelled { throw .cancelled }
                continue
            }
            let builder = SyncResponseBuilder(
                request: request, since: since, upTo: current,
                memberships: try await memberships(of: request.user, fresh: since == nil || request.fullState),
                reader: reader, receipts: receipts, accountData: accountData, typing: typing, notifier: notifier, lazyMembers: lazyMembers
            )
            let response = try await builder.build()
            if !response.isEmpty || since == nil || request.fullState || remaining <= .zero {
                return response.json
            }
            since = current
            await notifier.wait(since: mark, user: request.user, rooms: response.syncedRooms, timeout: remaining)
            if Task.isCancelled { throw .cancelled }
        }
    }

    /// `user`'s memberships, from the cache unless a notice about the user made it stale or the sync is an
    /// initial one (which also sees forgotten rooms disappear).
    private func memberships(of user: UserID, fresh: Bool = false) async throws(RoomError) -> [MembershipRecord] {
        if !fresh, let cached = membershipCache.withLock({ $0[user] }), !notifier.changed(since: cached.mark, user: user, rooms: []) {
            return cached.records
        }
        let mark = notifier.mark()
        let records = try await roomStoreCall { () async throws(RoomStoreError) in try await reader.store.memberships(of: user) }
        membershipCache.withLock { $0[user] = (records, mark) }
        return records
    }

    static func joined(_ records: [MembershipRecord]) -> Set<RoomID> {
        Set(records.filter { $0.membership == Membership.join }.map(\.roomID))
    }
}

/// Runs room store calls from code that reports `RoomError`.
nonisolated(nonsending) func roomStoreCall<T>(_ body: () async throws(RoomStoreError) -> T) async throws(RoomError) -> T {
    do {
        return try await body()
    } catch {
        throw .storage(error)
    }
}
