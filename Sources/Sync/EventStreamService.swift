import AccountData
public import MatrixTypes
import Presence
import Receipts
public import Replication
public import Rooms
import RoomStore
import Storage
import Typing

/// The deprecated `GET /events` stream (Synapse's `EventStreamHandler`): what is new after a sync token in the
/// user's joined rooms, or in one room they are joined to or may peek into (`world_readable`), long-polling on the
/// notifier as `/sync` does. Room events come oldest first, at most `limit`, with `end` after the last one returned
/// so the next call continues from there.
public final class EventStreamService: Sendable {
    public struct Request: Sendable {
        public var user: UserID
        public var deviceID: String?
        /// Where to continue from; `nil` starts at the current positions (only what happens next).
        public var from: SyncToken?
        public var timeout: Duration
        public var roomID: RoomID?
        public var limit: Int
        /// Whether streaming marks the user online, as syncing does (not for guests, as in Synapse).
        public var setsPresence: Bool

        public init(
            user: UserID, deviceID: String?, from: SyncToken?, timeout: Duration, roomID: RoomID?, limit: Int, setsPresence: Bool
        ) {
            self.user = user
            self.deviceID = deviceID
            self.from = from
            self.timeout = timeout
            self.roomID = roomID
            self.limit = limit
            self.setsPresence = setsPresence
        }
    }

    /// The rooms a request reads, with where the user's join began in each (`nil` when peeking).
    private struct Scope {
        var rooms: [RoomID: Int64?]
        var peeking: Bool
    }

    private let sync: SyncService
    private let sources: SyncSources
    private let notifier: Notifier

    public init(sync: SyncService, sources: SyncSources, notifier: Notifier) {
        self.sync = sync
        self.sources = sources
        self.notifier = notifier
    }

    /// `{chunk, start, end}`: waits up to the timeout for something new, then answers what there is (maybe nothing).
    public func events(_ request: Request) async throws(RoomError) -> JSONValue {
        let deadline = ContinuousClock.now + request.timeout
        let scope = try await scope(of: request)
        let from = bounded(request.from ?? sync.currentToken())
        if request.setsPresence { try await RoomError.catching { try await sources.presence.syncing(request.user, presence: "online") } }
        while true {
            let mark = notifier.mark()
            let current = sync.currentToken()
            let (chunk, end) = try await collect(request, scope: scope, from: from, upTo: current)
            let remaining = deadline - ContinuousClock.now
            if !chunk.isEmpty || remaining <= .zero {
                return ["chunk": .array(chunk), "start": .string(from.description), "end": .string(end.description)]
            }
            await notifier.wait(since: mark, user: request.user, rooms: Set(scope.rooms.keys), timeout: remaining)
            if Task.isCancelled { throw .cancelled }
        }
    }

    /// As Synapse: one named room is read if joined or `world_readable` (403 otherwise); without one, every joined room.
    private func scope(of request: Request) async throws(RoomError) -> Scope {
        let records = try await RoomError.catching { try await sources.memberships.memberships(of: request.user) }
        let joined = Dictionary(
            records.filter { $0.membership == Membership.join }.map { ($0.roomID, Optional($0.streamOrdering)) },
            uniquingKeysWith: { first, _ in first }
        )
        guard let roomID = request.roomID else { return Scope(rooms: joined, peeking: false) }
        if let joinedAt = joined[roomID] { return Scope(rooms: [roomID: joinedAt], peeking: false) }
        guard try await sources.reader.isWorldReadable(roomID) else { throw .forbidden("Non-joined access not allowed") }
        return Scope(rooms: [roomID: nil], peeking: true)
    }

    /// A token's positions no further than the current ones (a token from the future waits for nothing).
    private func bounded(_ token: SyncToken) -> SyncToken {
        let current = sync.currentToken()
        var token = token
        token.events = token.events.read(under: notifier.ownership).lowered(to: current.events)
        token.receipts = min(token.receipts, current.receipts)
        token.accountData = min(token.accountData, current.accountData)
        return token
    }

    /// Everything in `(from, upTo]` for the scope, and the token to continue from.
    private func collect(_ request: Request, scope: Scope, from: SyncToken, upTo: SyncToken) async throws(RoomError)
        -> (chunk: [JSONValue], end: SyncToken)
    {
        var end = upTo
        var chunk: [JSONValue] = []
        if !from.events.reaches(upTo.events) {
            let (events, reached) = try await roomEvents(request, scope: scope, after: from.events, upTo: upTo.events)
            chunk += events
            end.events = reached
        } else {
            end.events = from.events
        }
        let rooms = Set(scope.rooms.keys)
        for (room, users) in sources.typing.typing(in: rooms, after: from.typing, epoch: from.typingEpoch) {
            chunk.append([
                "type": "m.typing", "room_id": .string(room.rawValue), "content": ["user_ids": .array(users.map { .string($0.rawValue) })],
            ])
        }
        if upTo.receipts > from.receipts {
            let content = try await RoomError.catching {
                try await sources.receipts.receipts(in: rooms, after: from.receipts, upTo: upTo.receipts, viewer: request.user)
            }
            for (room, receipt) in content.sorted(by: { $0.key.rawValue.utf8.lexicographicallyPrecedes($1.key.rawValue.utf8) }) {
                chunk.append(["type": "m.receipt", "room_id": .string(room.rawValue), "content": receipt])
            }
        }
        guard !scope.peeking else { return (chunk, end) }
        chunk += try await RoomError.catching {
            try await sources.presence.changes(for: request.user, rooms: rooms, after: from.presence, upTo: upTo.presence, epoch: from.typingEpoch)
        }
        if upTo.accountData > from.accountData {
            let entries = try await RoomError.catching {
                try await sources.accountData.changes(of: request.user, after: from.accountData, upTo: upTo.accountData)
            }
            for entry in entries {
                var event: JSONObject = ["type": .string(entry.type), "content": entry.content]
                if let room = entry.roomID { event["room_id"] = .string(room.rawValue) }
                chunk.append(.object(event))
            }
        }
        return (chunk, end)
    }

    /// The first `limit` events in range in the scope's rooms (each room over its writer's range), plus the user's
    /// own membership changes in other rooms (an invite, a leave), each as history visibility lets the user read it;
    /// and the positions reached: `upTo`, or where the limit cut the rest.
    private func roomEvents(_ request: Request, scope: Scope, after: EventPositions, upTo: EventPositions) async throws(RoomError)
        -> (events: [JSONValue], reached: EventPositions)
    {
        let ownership = notifier.ownership
        func range(_ roomID: RoomID) -> (after: Int64, upTo: Int64) {
            (after.position(in: roomID, ownership: ownership), upTo.position(in: roomID, ownership: ownership))
        }
        var events: [RoomEvent] = []
        var joinedAt = scope.rooms
        let rooms = Set(scope.rooms.keys)
        let changed = try await ChangedRooms.among(rooms, after: after, upTo: upTo, notifier: notifier, timeline: sources.timeline)
        for roomID in changed {
            let (from, to) = range(roomID)
            guard to > from else { continue }
            events += try await RoomError.catching {
                try await sources.timeline.history(
                    in: roomID, from: .afterStream(from), to: .afterStream(to), direction: .forward, limit: request.limit
                )
            }
        }
        let records = try await RoomError.catching { try await sources.memberships.memberships(of: request.user) }
        let ownChanges = records.filter { record in
            let (from, to) = range(record.roomID)
            return record.streamOrdering > from && record.streamOrdering <= to && scope.rooms[record.roomID] == nil
        }
        for record in ownChanges {
            joinedAt[record.roomID] = record.membership == Membership.join ? record.streamOrdering : nil
        }
        events += try await RoomError.catching { try await sources.timeline.events(ownChanges.map(\.eventID)) }
        events.sort { $0.streamOrdering < $1.streamOrdering }
        let taken = Array(events.prefix(request.limit))
        // As Synapse: continue after the last event taken when the limit may have cut the rest (each room's page too
        // stops at the limit). Every event up to it, in each writer's range, was taken.
        var reached = upTo
        if taken.count == request.limit, let last = taken.last?.streamOrdering {
            reached = after.raised(to: upTo.lowered(to: EventPositions(last)))
        }
        var formatted: [(stream: Int64, json: JSONValue)] = []
        let viewer = ClientEventFormat.Viewer(userID: request.user, deviceID: request.deviceID)
        for (roomID, roomEvents) in Dictionary(grouping: taken, by: \.roomID) {
            let readable = try await sources.reader.readable(
                roomEvents, viewer: request.user, joinedAt: joinedAt[roomID] ?? nil, peeking: scope.peeking
            )
            let json = try await sources.reader.format(readable, in: roomID, viewer: viewer, withPreviousState: true)
            formatted += zip(readable.map(\.streamOrdering), json).map { ($0, $1) }
        }
        return (formatted.sorted { $0.stream < $1.stream }.map(\.json), reached)
    }
}
