import Foundation
public import MatrixTypes
public import Replication
import Synchronization

/// Wakes long-polling `/sync` requests when a stream notice concerns them. Waiting costs no query and holds no
/// database connection: a waiter is a continuation keyed by the user and the rooms it syncs.
///
/// Every relevant notice bumps a counter per room and per user; a sync reads `mark()` before it queries and waits
/// with that mark, so a notice arriving between its query and its wait still wakes it.
///
/// The events position is the persisted-up-to position (every lower stream ordering committed or abandoned),
/// never the highest notice seen: with several writers, a notice for 11 can arrive while 10 is still being
/// committed. An events notice above the position waits until the position reaches it; writers publish before
/// their position passes an event, so by then every notice up to the position has arrived.
public final class Notifier: Sendable {
    private struct Waiter {
        let user: UserID
        let rooms: Set<RoomID>
        let wake: CheckedContinuation<Void, Never>
    }

    private struct State {
        var eventsPosition: Int64
        /// Events notices above `eventsPosition`, applied once it reaches them (as many as events being committed).
        var early: [StreamNotice] = []
        /// The newest events position notified per room, for rooms with events since this process started.
        var roomEvents: [RoomID: Int64] = [:]
        var counter: UInt64 = 0
        var roomChanged: [RoomID: UInt64] = [:]
        var userChanged: [UserID: UInt64] = [:]
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
        /// Requests waiting for the events position to reach a token's.
        var positionWaiters: [UInt64: (position: Int64, wake: CheckedContinuation<Void, Never>)] = [:]
    }

    private let state: Mutex<State>
    private let startPosition: Int64
    /// Whether `roomsWithEvents` may answer from the notices (the process that writes the events stream sees every
    /// one); a process following a writer elsewhere asks the database, so a notice it never received cannot make a sync
    /// skip an event.
    private let remembersRooms: Bool
    private let persisted: @Sendable () -> Int64
    private let listener: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// `persisted` reads the events stream's persisted-up-to position; `advances` yields it as it moves (both from
    /// `RoomStore`, or a `MergedStreamPosition` over several writers).
    public init(
        bus: any ReplicationBus, persisted: @escaping @Sendable () -> Int64, advances: AsyncStream<Int64>, remembersRooms: Bool = true
    ) {
        let start = persisted()
        state = Mutex(State(eventsPosition: start))
        startPosition = start
        self.remembersRooms = remembersRooms
        self.persisted = persisted
        bus.subscribe { [weak self] notice in self?.handle(notice) }
        let task = Task { [weak self] in
            for await position in advances {
                guard let self else { return }
                self.catchUp(to: position)
            }
        }
        listener.withLock { $0 = task }
    }

    deinit {
        listener.withLock { $0 }?.cancel()
    }

    /// The persisted-up-to position, with every notice up to it handled: a sync never reads past it, so the rooms
    /// it finds changed in memory and in the database agree.
    public var eventsPosition: Int64 {
        catchUp(to: persisted())
    }

    /// The rooms among `rooms` with events after `after`, or `nil` when `after` predates this process or the process
    /// follows another writer (ask the database then).
    public func roomsWithEvents(after: Int64, among rooms: Set<RoomID>) -> Set<RoomID>? {
        guard remembersRooms, after >= startPosition else { return nil }
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

    /// Returns once the events position reaches `position`, or after `timeout`; whether it got there.
    public func waitForEvents(reaching position: Int64, timeout: Duration) async -> Bool {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.state.withLock { $0.positionWaiters.removeValue(forKey: id) }?.wake.resume()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (wake: CheckedContinuation<Void, Never>) in
                let now = persisted()
                let ready = state.withLock { state -> Bool in
                    _ = Self.advance(&state, to: now)
                    if state.eventsPosition >= position || Task.isCancelled { return true }
                    state.positionWaiters[id] = (position, wake)
                    return false
                }
                if ready { wake.resume() }
            }
        } onCancel: {
            state.withLock { $0.positionWaiters.removeValue(forKey: id) }?.wake.resume()
        }
        timer.cancel()
        return eventsPosition >= position
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.wake.resume()
    }

    private func handle(_ notice: StreamNotice) {
        if notice.stream == .events, notice.position > state.withLock({ $0.eventsPosition }) {
            let position = persisted()
            let woken = state.withLock { state -> [Waiter] in
                state.early.append(notice)
                return Self.advance(&state, to: position)
            }
            for waiter in woken { waiter.wake.resume() }
            return
        }
        let woken = state.withLock { state in Self.apply(notice, to: &state) }
        for waiter in woken { waiter.wake.resume() }
    }

    /// Moves the events position to `position` (never back), applying the notices it reaches.
    @discardableResult
    private func catchUp(to position: Int64) -> Int64 {
        let (woken, now) = state.withLock { state in (Self.advance(&state, to: position), state.eventsPosition) }
        for waiter in woken { waiter.wake.resume() }
        return now
    }

    private static func advance(_ state: inout State, to position: Int64) -> [Waiter] {
        state.eventsPosition = max(state.eventsPosition, position)
        let reached = state.eventsPosition
        for (id, waiter) in state.positionWaiters where waiter.position <= reached {
            state.positionWaiters[id] = nil
            waiter.wake.resume()
        }
        guard state.early.contains(where: { $0.position <= reached }) else { return [] }
        var woken: [Waiter] = []
        let due = state.early.filter { $0.position <= reached }
        state.early.removeAll { $0.position <= reached }
        for notice in due { woken += apply(notice, to: &state) }
        return woken
    }

    /// Records a notice the position has reached and takes out the waiters it concerns.
    private static func apply(_ notice: StreamNotice, to state: inout State) -> [Waiter] {
        state.counter += 1
        if notice.stream == .events, let room = notice.roomID {
            state.roomEvents[room] = max(state.roomEvents[room] ?? Int64.min, notice.position)
        }
        if let room = notice.roomID { state.roomChanged[room] = state.counter }
        for user in notice.users { state.userChanged[user] = state.counter }
        let due = state.waiters.filter { _, waiter in
            notice.users.contains(waiter.user) || notice.roomID.map(waiter.rooms.contains) == true
        }
        for id in due.keys { state.waiters[id] = nil }
        return Array(due.values)
    }

    private static func changed(_ state: State, since mark: UInt64, user: UserID, rooms: Set<RoomID>) -> Bool {
        if (state.userChanged[user] ?? 0) > mark { return true }
        return rooms.contains { (state.roomChanged[$0] ?? 0) > mark }
    }
}
