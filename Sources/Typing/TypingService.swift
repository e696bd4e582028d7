import Foundation
public import MatrixTypes
public import Replication
public import Rooms
import Storage
import Synchronization

/// Who is typing where, held only in memory (design §3): positions count changes since `epoch`, the writer's
/// start, so a token from before a restart is recognised and answered with the current state. A process that does
/// not write typing holds a copy, kept from the writer's notices (`follow`).
public final class TypingService: TypingReads {
    private struct State {
        var epoch: Int64
        var position: Int64 = 0
        /// Room → user → expiry (ms since the epoch).
        var typing: [RoomID: [UserID: Int64]] = [:]
        /// The position at which each room last changed.
        var changed: [RoomID: Int64] = [:]
    }

    private let state: Mutex<State>
    /// Two minutes, as Synapse caps a typing notification.
    static let longestTimeout: Int64 = 120_000
    private let bus: any ReplicationBus
    private let reader: RoomReader
    private let clock: @Sendable () -> Int64

    public init(bus: any ReplicationBus, reader: RoomReader, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.bus = bus
        self.reader = reader
        self.clock = clock
        state = Mutex(State(epoch: clock()))
    }

    public var epoch: Int64 { state.withLock { $0.epoch } }
    public var position: Int64 { state.withLock { $0.position } }

    /// Keeps this copy equal to the writer's from the typing notices on `bus` (the followed streams). Until the first
    /// notice, every token reads as from another epoch, so a sync gets whoever is typing from then on. An entry lasts
    /// at most the longest typing timeout here, so a lost "stopped" notice cannot leave someone typing for ever.
    public func follow(_ bus: any ReplicationBus) {
        bus.subscribe { [weak self] notice in
            guard let self, notice.stream == .typing, let room = notice.roomID, case .typing(let epoch, let users)? = notice.row else {
                return
            }
            let expiry = self.clock() + Self.longestTimeout
            self.state.withLock { state in
                if state.epoch != epoch { state = State(epoch: epoch) }
                guard notice.position > state.position else { return }
                state.position = notice.position
                state.typing[room] = Dictionary(users.map { ($0, expiry) }, uniquingKeysWith: { first, _ in first })
                state.changed[room] = notice.position
            }
        }
    }

    /// `PUT /rooms/{roomId}/typing/{userId}`: `requester` marks themselves typing in a room they are joined to for
    /// `timeout` milliseconds (two minutes at most), or stopped.
    public func set(_ typing: Bool, user: UserID, requester: UserID, roomID: RoomID, timeout: Int64) async throws(TypingError) {
        guard user == requester else { throw .notOwnState }
        guard try await TypingError.catching({ try await reader.isJoined(roomID, user: user) }) else { throw .notJoined }
        record(typing, user: user, roomID: roomID, timeout: timeout)
    }

    private func record(_ typing: Bool, user: UserID, roomID: RoomID, timeout: Int64) {
        let now = clock()
        let notice = state.withLock { state -> StreamNotice? in
            var users = state.typing[roomID] ?? [:]
            let wasTyping = users[user].map { $0 > now } ?? false
            users[user] = typing ? now + min(max(timeout, 0), Self.longestTimeout) : nil
            state.typing[roomID] = users
            guard wasTyping != typing || typing else { return nil }
            state.position += 1
            state.changed[roomID] = state.position
            return Self.notice(state, room: roomID, now: now)
        }
        if let notice { bus.publish(notice) }
        if typing {
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(min(max(timeout, 0), Self.longestTimeout) + 50))
                self?.expire()
            }
        }
    }

    /// The users typing in each of `rooms` that changed after `after` (every room when `after` is from another epoch).
    public func typing(in rooms: Set<RoomID>, after: Int64, epoch tokenEpoch: Int64) -> [RoomID: [UserID]] {
        let now = clock()
        return state.withLock { state in
            var result: [RoomID: [UserID]] = [:]
            for room in rooms {
                let changed = state.changed[room] ?? 0
                guard tokenEpoch != state.epoch || changed > after else { continue }
                let users = (state.typing[room] ?? [:]).filter { $0.value > now }.keys.sorted()
                if tokenEpoch != state.epoch, users.isEmpty { continue }
                result[room] = users
            }
            return result
        }
    }

    /// Drops expired entries, announcing each room whose typing set shrank.
    private func expire() {
        let now = clock()
        let notices = state.withLock { state -> [StreamNotice] in
            var notices: [StreamNotice] = []
            for (room, users) in state.typing {
                let live = users.filter { $0.value > now }
                guard live.count != users.count else { continue }
                state.typing[room] = live
                state.position += 1
                state.changed[room] = state.position
                notices.append(Self.notice(state, room: room, now: now))
            }
            return notices
        }
        for notice in notices { bus.publish(notice) }
    }

    /// The notice of a room's change: who types there now, for copies in other processes.
    private static func notice(_ state: State, room: RoomID, now: Int64) -> StreamNotice {
        let users = (state.typing[room] ?? [:]).filter { $0.value > now }.keys.sorted()
        return StreamNotice(stream: .typing, position: state.position, roomID: room, row: .typing(epoch: state.epoch, users: users))
    }
}
