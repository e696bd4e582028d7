import MatrixTypes
import Synchronization

/// The newest profile change of each user whose member events are still being written into their rooms. A newer
/// change supersedes the rest of an older one: the older stops before its next room and the newer writes the
/// current profile into every room, so rapid changes never leave a stale member event queued per room each.
final class ProfileFanOuts: Sendable {
    private struct State {
        var nextChange: UInt64 = 0
        /// User ID bytes → their newest change; only users with a fan-out running are held.
        var newest: [[UInt8]: UInt64] = [:]
    }

    private let state = Mutex(State())

    /// Starts a change for `user`, superseding any older one still running.
    func begin(_ user: UserID) -> UInt64 {
        state.withLock { state in
            state.nextChange += 1
            state.newest[Array(user.rawValue.utf8)] = state.nextChange
            return state.nextChange
        }
    }

    func isNewest(_ change: UInt64, of user: UserID) -> Bool {
        state.withLock { $0.newest[Array(user.rawValue.utf8)] == change }
    }

    /// Forgets `user` once their newest change has been written everywhere.
    func end(_ change: UInt64, of user: UserID) {
        state.withLock { state in
            let key = Array(user.rawValue.utf8)
            if state.newest[key] == change { state.newest[key] = nil }
        }
    }
}
