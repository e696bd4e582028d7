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
/// The events positions are each writer's persisted-up-to position (every lower stream ordering it took committed or
/// abandoned), never the highest notice seen: with several writers, a notice for 11 can arrive while 10 is still
/// being committed. An events notice above its room's writer's position waits until that position reaches it;
/// writers publish before their position passes an event, so by then every notice up to the position has arrived.
public final class Notifier: Sendable {
    private struct Waiter {
        let user: UserID
        let rooms: Set<RoomID>
        let wake: CheckedContinuation<Void, Never>
    }

    private struct State {
        var events: EventPositions
        /// Events notices above their room's writer's position, applied once it reaches them (as many as events
        /// being committed).
        var early: [StreamNotice] = []
        /// The newest events position notified per room, for rooms with events since this process started.
        var roomEvents: [RoomID: Int64] = [:]
        var counter: UInt64 = 0
        var roomChanged: [RoomID: UInt64] = [:]
        var userChanged: [UserID: UInt64] = [:]
        var waiters: [UInt64: Waiter] = [:]
        var nextWaiter: UInt64 = 0
        /// Requests waiting for the events positions to reach a token's.
        var positionWaiters: [UInt64: (positions: EventPositions, wake: CheckedContinuation<Void, Never>)] = [:]
    }

    private let state: Mutex<State>
    private let start: EventPositions
    /// Whether `roomsWithEvents` may answer from the notices (the process that writes the events stream sees every
    /// one); a process following a writer elsewhere asks the database, so a notice it never received cannot make a sync
    /// skip an event.
    private let remembersRooms: Bool
    private let writers: EventWriterPositions
    /// Which writer's position bounds each room's events.
    public var ownership: RoomOwnership { writers.ownership }
    private let listener: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// `writers`: where each events writer stands, as this process learns it.
    public init(bus: any ReplicationBus, writers: EventWriterPositions, remembersRooms: Bool = true) {
        let start = writers.current
        state = Mutex(State(events: start))
        self.start = start
        self.remembersRooms = remembersRooms
        self.writers = writers
        bus.subscribe { [weak self] notice in self?.handle(notice) }
        let advances = writers.advances()
        let task = Task { [weak self] in
            for await positions in advances {
                guard let self else { return }
                self.catchUp(to: positions)
            }
        }
        listener.withLock { $0 = task }
    }

    deinit {
        listener.withLock { $0 }?.cancel()
    }

    /// Each writer's persisted-up-to position, with every notice up to it handled: a sync never reads past it, so
    /// the rooms it finds changed in memory and in the database agree.
    public var eventsPositions: EventPositions {
        catchUp(to: writers.current)
    }

    /// The rooms among `rooms` with events after `after`, or `nil` when `after` predates this process or the process
    /// follows another writer (ask the database then).
    public func roomsWithEvents(after: EventPositions, among rooms: Set<RoomID>) -> Set<RoomID>? {
        guard remembersRooms, after.reaches(start) else { return nil }
        let ownership = ownership
        return state.withLock { state in
            rooms.filter { (state.roomEvents[$0] ?? Int64.min) > after.position(in: $0, ownership: ownership) }
        }
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

    /// Returns once every events writer reaches where `positions` puts it, or after `timeout`; whether they got there.
    public func waitForEvents(reaching positions: EventPositions, timeout: Duration) async -> Bool {
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
                let now = writers.current
                let (ready, woken) = state.withLock { state -> (Bool, [Waiter]) in
                    let woken = Self.advance(&state, to: now, ownership: ownership)
                    if state.events.reaches(positions) || Task.isCancelled { return (true, woken) }
                    state.positionWaiters[id] = (positions, wake)
                    return (false, woken)
                }
                for waiter in woken { waiter.wake.resume() }
                if ready { wake.resume() }
            }
        } onCancel: {
            state.withLock { $0.positionWaiters.removeValue(forKey: id) }?.wake.resume()
        }
        timer.cancel()
        return eventsPositions.reaches(positions)
    }

    private func resume(_ id: UInt64) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.wake.resume()
    }

    private func handle(_ notice: StreamNotice) {
        let ownership = ownership
        if notice.stream == .events, state.withLock({ !Self.reached(notice, $0.events, ownership: ownership) }) {
            let positions = writers.current
            let woken = state.withLock { state -> [Waiter] in
                state.early.append(notice)
                return Self.advance(&state, to: positions, ownership: ownership)
            }
            for waiter in woken { waiter.wake.resume() }
            return
        }
        let woken = state.withLock { state in Self.apply(notice, to: &state) }
        for waiter in woken { waiter.wake.resume() }
    }

    /// Moves the events positions to `positions` (never back), applying the notices they reach.
    @discardableResult
    private func catchUp(to positions: EventPositions) -> EventPositions {
        let ownership = ownership
        let (woken, now) = state.withLock { state in (Self.advance(&state, to: positions, ownership: ownership), state.events) }
        for waiter in woken { waiter.wake.resume() }
        return now
    }

    /// Whether `notice` lies at or below its room's writer's position (one without a room: below every writer's).
    private static func reached(_ notice: StreamNotice, _ positions: EventPositions, ownership: RoomOwnership) -> Bool {
        notice.position <= (notice.roomID.map { positions.position(in: $0, ownership: ownership) } ?? positions.minimum)
    }

    private static func advance(_ state: inout State, to positions: EventPositions, ownership: RoomOwnership) -> [Waiter] {
        state.events = state.events.raised(to: positions)
        let reached = state.events
        for (id, waiter) in state.positionWaiters where reached.reaches(waiter.positions) {
            state.positionWaiters[id] = nil
            waiter.wake.resume()
        }
        guard state.early.contains(where: { Self.reached($0, reached, ownership: ownership) }) else { return [] }
        var woken: [Waiter] = []
        let due = state.early.filter { Self.reached($0, reached, ownership: ownership) }
        state.early.removeAll { Self.reached($0, reached, ownership: ownership) }
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
