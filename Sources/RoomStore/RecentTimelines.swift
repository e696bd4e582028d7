import MatrixTypes
import Synchronization

/// How much of the rooms' newest events a room store keeps in memory.
public struct RecentTimelineLimits: Sendable {
    /// Events kept per room: enough for a sync timeline of that many, or for catching up on as many new events.
    public var eventsPerRoom: Int
    /// Event JSON bytes kept across rooms; the rooms written longest ago are forgotten first.
    public var bytes: Int

    public init(eventsPerRoom: Int = 64, bytes: Int = 16 << 20) {
        self.eventsPerRoom = eventsPerRoom
        self.bytes = bytes
    }
}

/// The newest events of the rooms this process writes, recorded as they commit: a long-poll woken by a new event
/// reads the room's new events and the event its history continues from here, not from the database. Only the
/// room's writer records, so what a timeline holds is complete above its floor; reads it cannot answer go to the
/// database.
final class RecentTimelines: Sendable {
    private struct Rooms {
        var timelines: [RoomID: (timeline: RecentTimeline, written: UInt64)] = [:]
        var writes: UInt64 = 0
        var bytes = 0
        /// The highest stream ordering recorded.
        var highest = Int64.min
        /// `highest` when a room was last forgotten: a room's events up to there may have been lost with it (one
        /// that commits late included), so a timeline started afresh claims nothing below it.
        var forgottenUpTo = Int64.min
    }

    private let rooms = Mutex(Rooms())
    private let limits: RecentTimelineLimits

    init(limits: RecentTimelineLimits) {
        self.limits = limits
    }

    /// Records a committed batch (`orderings[i]` is `events[i]`'s stream ordering), before the stream position may
    /// pass it. Outliers are no part of a timeline; an event that joins the timeline without recorded state (which
    /// the writer never produces) makes its room forget what it held, so nothing is answered past it.
    func record(_ events: [NewEvent], orderings: [Int64]) {
        let batch = zip(events, orderings).filter { !$0.0.outlier }.sorted { $0.1 < $1.1 }
        rooms.withLock { rooms in
            rooms.writes += 1
            for (event, stream) in batch {
                rooms.highest = max(rooms.highest, stream)
                guard event.stateAfter != nil else {
                    forget(event.roomID, in: &rooms)
                    continue
                }
                var entry = rooms.timelines[event.roomID]
                    ?? (RecentTimeline(first: max(stream, rooms.forgottenUpTo + 1), capacity: limits.eventsPerRoom), 0)
                let before = entry.timeline.bytes
                entry.timeline.add(.init(event: RoomEvent(event, streamOrdering: stream), visible: event.takesEffect))
                entry.written = rooms.writes
                rooms.bytes += entry.timeline.bytes - before
                rooms.timelines[event.roomID] = entry
            }
            // After the whole batch is in, so a redaction finds a target that came later in it.
            for (event, _) in batch where event.takesEffect {
                guard let target = event.redacts else { continue }
                rooms.timelines[event.roomID]?.timeline.redact(target, by: event.eventID)
            }
            while rooms.bytes > limits.bytes, let oldest = rooms.timelines.min(by: { $0.value.written < $1.value.written })?.key {
                forget(oldest, in: &rooms)
            }
        }
    }

    /// `RoomStore.recentEvents` from memory, or `nil` when the room's timeline here does not cover the range.
    func recent(in roomID: RoomID, after: Int64?, upTo: Int64, limit: Int) -> (events: [RoomEvent], limited: Bool)? {
        rooms.withLock { $0.timelines[roomID]?.timeline.recent(after: after, upTo: upTo, limit: limit) }
    }

    /// The events among `ids` (event IDs as stored) kept for `roomID`, keyed by the IDs' bytes, as
    /// `RoomStore.events` reads them.
    func events(_ ids: [String], in roomID: RoomID) -> [[UInt8]: RoomEvent] {
        guard !ids.isEmpty else { return [:] }
        let kept = rooms.withLock { $0.timelines[roomID]?.timeline.entries } ?? []
        let wanted = Set(ids.map { Array($0.utf8) })
        var found: [[UInt8]: RoomEvent] = [:]
        for entry in kept {
            let id = Array(entry.event.eventID.rawValue.utf8)
            if wanted.contains(id) { found[id] = entry.event }
        }
        return found
    }

    /// `RoomStore.lastEventID` from memory, or `nil` when not known here.
    func lastEventID(in roomID: RoomID, upTo: Int64) -> EventID? {
        rooms.withLock { $0.timelines[roomID]?.timeline.lastEventID(upTo: upTo) }
    }

    private func forget(_ roomID: RoomID, in rooms: inout Rooms) {
        rooms.forgottenUpTo = rooms.highest
        guard let gone = rooms.timelines.removeValue(forKey: roomID) else { return }
        rooms.bytes -= gone.timeline.bytes
    }
}

extension RoomEvent {
    /// The event as a read would return it right after its commit: not redacted yet.
    init(_ event: NewEvent, streamOrdering: Int64) {
        self.init(
            eventID: event.eventID, roomID: event.roomID, type: event.type, stateKey: event.stateKey, sender: event.sender,
            streamOrdering: streamOrdering, topologicalOrdering: event.depth, json: event.json, transaction: event.transaction,
            redactedBy: nil
        )
    }
}
