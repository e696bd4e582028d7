import Foundation
public import MatrixTypes
public import Replication
public import Rooms
import Storage
import Synchronization

/// Who is typing where, held only in memory (design §3): positions count changes since `epoch`, this process's
/// start, so a token from before a restart is recognised and answered with the current state.
public final class TypingService: TypingReads {
    private struct State {
        var position: Int64 = 0
        /// Room → user → expiry (ms since the epoch).
        var typing: [RoomID: [UserID: Int64]] = [:]
        /// The position at which each room last changed.
        var changed: [RoomID: Int64] = [:]
    }

    public let epoch: Int64
    private let state = Mutex(State())
    private let bus: any ReplicationBus
    private let reader: RoomReader
    private let clock: @Sendable () -> Int64

    public init(bus: any ReplicationBus, reader: RoomReader, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.bus = bus
        self.reader = reader
        self.clock = clock
        epoch = clock()
    }

    public var position: Int64 { state.withLock { $0.position } }

    /// `PUT /rooms/{roomId}/typing/{userId}`: `requester` marks themselves typing in a room they are joined to for
    /// `timeout` milliseconds (two minutes at most), or stopped.
    public func set(_ typing: Bool, user: UserID, requester: UserID, roomID: RoomID, timeout: Int64) async throws(TypingError) {
        guard user == requester else { throw .notOwnState }
        guard try await TypingError.catching({ try await reader.isJoined(roomID, user: user) }) else { throw .notJoined }
        record(typing, user: user, roomID: roomID, timeout: timeout)
    }

    private func record(_ typing: Bool, user: UserID, roomID: RoomID, timeout: Int64) {
        let now = clock()
        let position = state.withLock { state -> Int64? in
            var users = state.typing[roomID] ?? [:]
            let wasTyping = users[user].map { $0 > now } ?? false
            users[user] = typing ? now + min(max(timeout, 0), 120_000) : nil
            state.typing[roomID] = users
            guard wasTyping != typing || typing else { return nil }
            state.position += 1
            state.changed[roomID] = state.position
            return state.position
        }
        if let position { bus.publish(StreamNotice(stream: .typing, position: position, roomID: roomID)) }
        if typing {
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(min(max(timeout, 0), 120_000) + 50))
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
                guard tokenEpoch != epoch || changed > after else { continue }
                let users = (state.typing[room] ?? [:]).filter { $0.value > now }.keys.sorted()
                if tokenEpoch != epoch, users.isEmpty { continue }
                result[room] = users
            }
            return result
        }
    }

    /// Drops expired entries, announcing each room whose typing set shrank.
    private func expire() {
        let now = clock()
        let changes = state.withLock { state -> [(RoomID, Int64)] in
            var changes: [(RoomID, Int64)] = []
            for (room, users) in state.typing {
                let live = users.filter { $0.value > now }
                guard live.count != users.count else { continue }
                state.typing[room] = live
                state.position += 1
                state.changed[room] = state.position
                changes.append((room, state.position))
            }
            return changes
        }
        for (room, position) in changes { bus.publish(StreamNotice(stream: .typing, position: position, roomID: room)) }
    }
}
