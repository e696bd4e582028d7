import MatrixTypes
import Rooms
import RoomStore
import Storage

/// A room's sync timeline filled up to the filter's `limit` with events the user gets, as Synapse's
/// `_load_filtered_recents` fills it: events the history visibility hides, the timeline filter drops or an ignored
/// user sent do not count against the limit, so older events are loaded in their place. Refilling stops after
/// `maximumRefills` pages of `max(2 × limit, 10)` events, so a room costs a bounded number of reads however much
/// of it is filtered out; the timeline is then `limited`.
struct FilteredTimeline {
    /// The events the timeline spans, hidden and filtered ones included, oldest first (`prev_batch` is before the first).
    var events: [RoomEvent]
    /// Of `events`, those the history visibility lets the user read, the filter passes and no ignored user sent:
    /// the timeline itself.
    var timeline: [RoomEvent]
    /// Whether events of the range older than `events` were left out.
    var limited: Bool

    static let maximumRefills = 5

    /// The newest events of `(after, upTo]` in `roomID` that fill the timeline. `joinedAt`: where the user's
    /// current join took effect (from there on the history visibility does not apply).
    static func load(
        _ roomID: RoomID, after: Int64?, upTo: Int64, joinedAt: Int64?, user: UserID, filter: SyncFilter, ignored: IgnoredUsers,
        sources: SyncSources
    ) async throws(RoomError) -> FilteredTimeline {
        let limit = filter.timelineLimit
        var passes = filter.timeline
        passes.ignoredSenders = ignored.users
        var loaded = FilteredTimeline(events: [], timeline: [], limited: false)
        var upper = upTo
        var pageSize = limit
        var refills = 0
        while true {
            let page = try await RoomError.catching {
                try await sources.timeline.recentEvents(in: roomID, after: after, upTo: upper, limit: pageSize)
            }
            let readable = try await sources.reader.readable(page.events, viewer: user, joinedAt: joinedAt)
            loaded.events = page.events + loaded.events
            loaded.timeline = readable.filter(passes.matches) + loaded.timeline
            loaded.limited = page.limited
            guard page.limited, loaded.timeline.count < limit, refills < maximumRefills, let oldest = page.events.first else { break }
            upper = oldest.streamOrdering - 1
            pageSize = max(2 * limit, 10)
            refills += 1
        }
        if loaded.timeline.count > limit { loaded.keepNewest(limit) }
        return loaded
    }

    /// Drops what lies before the newest `limit` timeline events; what was dropped is left out, so `limited`.
    private mutating func keepNewest(_ limit: Int) {
        timeline = Array(timeline.suffix(limit))
        guard let start = timeline.first?.streamOrdering else { return }
        events.removeAll { $0.streamOrdering < start }
        limited = true
    }

    /// Whether an incremental sync has anything to tell about a room it built: a room whose new events were all
    /// filtered out, hidden or sent by ignored users, with no state change, is left out of the response (as Synapse does).
    static func hasNews(_ room: JSONValue) -> Bool {
        room["timeline"]?["events"]?.arrayValue?.isEmpty == false || room["state"]?["events"]?.arrayValue?.isEmpty == false
    }
}
