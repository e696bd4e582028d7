/// The bookkeeping behind a writer's persisted-up-to position (design §3), without any I/O.
///
/// IDs are handed out in increasing order but may finish in any order (PostgreSQL can commit
/// 11 before 10). `position` only ever lands on an ID that committed and below which nothing is
/// still in flight, so a reader at `position` can never miss a row that commits later. An
/// abandoned ID (its transaction rolled back) is a permanent hole: it no longer holds the
/// position back, but the position does not stop on it either, so the position recorded in
/// `stream_positions` never names an ID that a restarted SQLite writer could hand out again.
struct StreamPositionTracker: Sendable {
    /// Every ID this writer allocated up to here has committed or been abandoned.
    private(set) var position: Int64
    /// The highest ID allocated so far (seed for a counter, lower bound for pending allocations).
    private(set) var lastAllocated: Int64
    private var inFlight: Set<Int64> = []
    /// Finished IDs above `position`, with whether they committed.
    private var finished: [Int64: Bool] = [:]
    /// Allocations requested but not yet answered (a `nextval` on its way), each with the highest
    /// ID known to be handed out when it started (this writer's, or another writer's it had observed):
    /// the answer will be above that, so the position may reach it but not pass it until the answer
    /// is known.
    private var pending: [UInt64: Int64] = [:]
    private var nextToken: UInt64 = 0
    /// The highest position another writer of the same sequence announced, not yet taken because this one was busy.
    private var observed: Int64 = 0

    init(position: Int64, lastAllocated: Int64) {
        precondition(lastAllocated >= position, "a writer cannot have persisted IDs it never allocated")
        self.position = position
        self.lastAllocated = lastAllocated
    }

    var inFlightCount: Int { inFlight.count }

    /// Nothing allocated is unfinished and no allocation is under way: every ID this writer ever handed out has
    /// committed or been abandoned, whatever `position` says (it does not stop on abandoned IDs).
    var isIdle: Bool { inFlight.isEmpty && pending.isEmpty }

    /// Allocates the next `count` IDs from the in-memory counter (the single-writer SQLite case).
    mutating func allocateFromCounter(_ count: Int) -> [Int64] {
        let ids = (1...Int64(count)).map { lastAllocated + $0 }
        markInFlight(ids)
        return ids
    }

    /// Registers an allocation whose IDs come from elsewhere (a PostgreSQL sequence).
    mutating func beginAllocation() -> UInt64 {
        nextToken += 1
        pending[nextToken] = max(lastAllocated, observed)
        return nextToken
    }

    /// Records the IDs an allocation received.
    mutating func completeAllocation(_ token: UInt64, ids: [Int64]) {
        pending[token] = nil
        markInFlight(ids)
    }

    /// Drops an allocation that failed before receiving IDs.
    /// - Returns: whether `position` advanced.
    mutating func cancelAllocation(_ token: UInt64) -> Bool {
        pending[token] = nil
        return advance()
    }

    /// Marks IDs as committed or abandoned.
    /// - Returns: whether `position` advanced.
    mutating func finish(_ ids: [Int64], committed: Bool) -> Bool {
        for id in ids where inFlight.remove(id) != nil {
            finished[id] = committed
        }
        return advance()
    }

    /// Another writer sharing this writer's ID sequence reached `other`: every ID up to it was handed out already, so
    /// whatever this writer allocates from now on lies above it. The position moves there as far as this writer's own
    /// unfinished IDs allow (below the lowest in flight, up to what a pending allocation may still return), so readers
    /// taking the lowest position of all writers wait only for IDs that can still commit below it, not for this
    /// writer's next commit.
    /// - Returns: whether `position` advanced.
    mutating func observe(_ other: Int64) -> Bool {
        guard other > position else { return false }
        observed = max(observed, other)
        return advance()
    }

    private mutating func markInFlight(_ ids: [Int64]) {
        for id in ids {
            precondition(id > position, "stream ID \(id) is not above the persisted position \(position)")
            inFlight.insert(id)
            lastAllocated = max(lastAllocated, id)
        }
    }

    private mutating func advance() -> Bool {
        let start = position
        let lowestInFlight = inFlight.min()
        let pendingFloor = pending.values.min()
        for id in finished.keys.sorted() {
            if let lowestInFlight, id > lowestInFlight { break }
            if let pendingFloor, id > pendingFloor { break }
            if finished.removeValue(forKey: id) == true {
                position = id
            }
        }
        let claimable = min(observed, lowestInFlight.map { $0 - 1 } ?? .max, pendingFloor ?? .max)
        if claimable > position {
            position = claimable
            lastAllocated = max(lastAllocated, claimable)
        }
        return position > start
    }
}
