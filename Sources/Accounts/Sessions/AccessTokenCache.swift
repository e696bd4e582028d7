import MatrixTypes
import Synchronization

/// Access tokens this process has resolved, so a client's next request (a long-poll is a request every few
/// seconds, or every message) needs no database read. Sound only while this process is the only one that checks and
/// revokes tokens: a revocation forgets the user's tokens here, and nothing tells another process. Unknown tokens
/// are never kept, so a new token works at once. Beyond `capacity` tokens it forgets them all and fills again.
public final class AccessTokenCache: Sendable {
    private struct State {
        var requesters: [String: Requester] = [:]
        /// Advanced by every revocation: a lookup that read the database before a revocation committed may not keep
        /// what it read afterwards.
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// `capacity` 0 keeps nothing (a process that shares its tokens with others).
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// The requester of the token with `hash`, if kept.
    func requester(forHash hash: String) -> Requester? {
        state.withLock { $0.requesters[hash] }
    }

    /// Where revocations stand, taken before reading a token from the database.
    func generation() -> UInt64 {
        state.withLock { $0.generation }
    }

    /// Keeps a token read from the database, unless a revocation happened since `generation`.
    func remember(_ requester: Requester, forHash hash: String, readAt generation: UInt64) {
        guard capacity > 0 else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.requesters.count >= capacity { state.requesters.removeAll(keepingCapacity: true) }
            state.requesters[hash] = requester
        }
    }

    /// Forgets every token of `userID`; call once the revocation has committed (or may have).
    func revoked(userID: String) {
        state.withLock { state in
            state.generation &+= 1
            state.requesters = state.requesters.filter { !$0.value.userID.rawValue.hasSameBytes(as: userID) }
        }
    }
}
