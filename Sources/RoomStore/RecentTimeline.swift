import MatrixTypes

/// The newest timeline events of one room as its writer committed them, oldest first, with the position below which
/// it knows nothing: every committed event of the room with a stream ordering above `floor` is here (the room has
/// one writer, and it adds each event before the stream position may pass it). A pure value: `RecentTimelines`
/// keeps one per room and answers the reads it covers from it.
struct RecentTimeline: Sendable {
    struct Entry: Sendable {
        var event: RoomEvent
        /// Neither rejected nor soft-failed: clients see it.
        var visible: Bool
    }

    /// Events at or below it are not known here.
    private(set) var floor: Int64
    private(set) var entries: [Entry] = []
    /// The JSON bytes held, which the cache's memory budget counts.
    private(set) var bytes = 0
    let capacity: Int

    /// A timeline that starts with an event at `first`: nothing of the room above `first - 1` was committed before it.
    init(first: Int64, capacity: Int) {
        precondition(capacity > 0, "a recent timeline holds at least one event")
        floor = first - 1
        self.capacity = capacity
    }

    /// Adds a committed event of the room. One above `floor` that arrives after a later one (a batch that committed
    /// first) takes its place in stream order; past `capacity` the oldest goes and `floor` rises to it.
    mutating func add(_ entry: Entry) {
        let stream = entry.event.streamOrdering
        guard stream > floor else { return }
        let index = entries.lastIndex { $0.event.streamOrdering < stream }.map { $0 + 1 } ?? 0
        guard index == entries.count || entries[index].event.streamOrdering != stream else { return }
        entries.insert(entry, at: index)
        bytes += entry.event.json.count
        while entries.count > capacity {
            let dropped = entries.removeFirst()
            bytes -= dropped.event.json.count
            floor = dropped.event.streamOrdering
        }
    }

    /// Marks `target` redacted by `redaction` (the first redaction that takes effect is the one shown).
    mutating func redact(_ target: EventID, by redaction: EventID) {
        guard let index = entries.firstIndex(where: { $0.event.eventID == target }), entries[index].event.redactedBy == nil else { return }
        entries[index].event.redactedBy = redaction
    }

    /// The newest `limit` visible events with stream ordering in `(after, upTo]`, oldest first, and whether older
    /// ones in the range were left out; `nil` when the range reaches below `floor` and the events above it do not
    /// fill the page.
    func recent(after: Int64?, upTo: Int64, limit: Int) -> (events: [RoomEvent], limited: Bool)? {
        let lower = after ?? Int64.min
        let inRange = entries.lazy.filter { $0.visible && $0.event.streamOrdering > lower && $0.event.streamOrdering <= upTo }.map(\.event)
        let events = Array(inRange)
        if events.count > limit { return (Array(events.suffix(limit)), true) }
        guard lower >= floor else { return nil }
        return (events, false)
    }

    /// The newest event at or below `upTo` (rejected and soft-failed ones included: their state is recorded too);
    /// `nil` when none is known here.
    func lastEventID(upTo: Int64) -> EventID? {
        entries.last { $0.event.streamOrdering <= upTo }?.event.eventID
    }
}
