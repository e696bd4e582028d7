import Foundation
public import MatrixTypes
public import Replication
import Synchronization

/// Wakes long-polling `/sync` requests when a stream notice concerns them. Waiting costs no query and holds no
/// database connection: a waiter is a continuation keyed by the user and the rooms it syncs.
///
/// Every relevant notice bumps a counter per room and per user; a sync reads `mark()` before it queries and waits
/// with that mark, so a notice arriving between its query and its wait still wakes it.
public final class Notifier: Sendable {
    private struct Waiter {
        let user: UserID
        let rooms: Set<RoomID>
        let wake: CheckedContinuation<Void, Never>
    }

    private struct State {
        var eventsPosition: Int64
        /// The newest events position notified per room, for rooms with events since this process started.
        var roomEvents: [RoomID: Int64] = [:]
        var counter: UInt64 = 0
        var roomChanged: [RoomID: UInt64] = [:]
        var userChanged: [UserID: UInt64] = [:]
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state: Mutex<State>
    private let startPosition: Int64

    /// `eventsPosition` is the events stream's persisted-up-to position when the notifier starts listening.
    public init(bus: any ReplicationBus, eventsPosition: Int64) {
        state = Mutex(State(eventsPosition: eventsPosition))
        startPosition = eventsPosition
        bus.subscribe { [weak self] notice in self?.handle(notice) }
    }

    /// The events position every notice up to which has been handled: a sync never reads past it, so the rooms
    /// it finds changed in memory and in the database agree.
    public var eventsPosition: Int64 {
        state.withLock { $0.eventsPosition }
    }

    /// The rooms among `rooms` with events after `after`, or `nil` when `after` predates this process (ask the
    /// database then).
    public func roomsWithEvents(after: Int64, among rooms: Set<RoomID>) -> Set<RoomID>? {
        guard after >= startPosition else { return nil }
        return state.withLock { state in rooms.filter { (state.roomEvents[$0] ?? Int64.min) > after } }
    }

    /// The current change counter, to pass to `wait` after querying.
    public func mark() -> UInt64 {
        state.withLock { $0.counter }
    }

    /// Whether anything concerning `user` or `rooms` happened after `mark`.
    public func changed(since mark: UInt64, user: UserID, rooms: Set<RoomID>) -> Bool {
        state.withLock { state in Self.changed(state, since: mark, user: user, rooms: rooms) }
    }

    /// Returns when something concerning `user` or `rooms` happens after `mark`, or after `timeout`.
    public func wait(since mark: UInt64, user: UserID, rooms: Set<RoomID>, timeout: Duration) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.resume(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if Self.changed(state, since: mark, user: user, rooms: rooms) || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(user: user, rooms: rooms, wake: wake)
                    return false
                }
                if ready { wake.resume() }
            }
        } onCancel: {
            resume(id)
        }
        timer.cancel()
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.wake.resume()
    }

    private func handle(_ notice: StreamNotice) {
        let woken = state.withLock { state -> [Waiter] in
            state.counter += 1
            if notice.stream == .events {
                state.eventsPosition = max(state.eventsPosition, notice.position)
                if let room = notice.roomID { state.roomEvents[room] = max(state.roomEvents[room] ?? Int64.min, notice.position) }
            }
            if let room = notice.roomID { state.roomChanged[room] = state.counter }
            for user in notice.users { state.userChanged[user] = state.counter }
            let due = state.waiters.filter { _, waiter in
                notice.users.contains(waiter.user) || notice.roomID.map(waiter.rooms.contains) == true
            }
            for id in due.keys { state.waiters[id] = nil }
            return Array(due.values)
        }
        for waiter in woken { waiter.wake.resume() }
    }

    private static func changed(_ state: State, since mark: UInt64, user: UserID, rooms: Set<RoomID>) -> Bool {
        if (state.userChanged[user] ?? 0) > mark { return true }
        return rooms.contains { (state.roomChanged[$0] ?? 0) > mark }
    }
}
