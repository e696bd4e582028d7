import Histogram

/// Matches sent markers against what receivers' syncs return, and times each event until its last receiver saw it.
actor DeliveryTracker {
    private struct Pending {
        var sender: String
        var start: ContinuousClock.Instant
        var remaining: Set<String>
    }

    private var pending: [String: Pending] = [:]
    /// Sender of each fully delivered marker: after delivery, any other user seeing it again is a duplicate.
    private var completed: [String: String] = [:]
    private(set) var latencies = LatencyHistogram.make()
    private(set) var delivered = 0
    private(set) var duplicates = 0
    private(set) var limitedTimelines = 0

    /// Registers a marker before its send starts: a receiver's sync may return the event before the send does.
    func expect(_ marker: String, from sender: String, start: ContinuousClock.Instant, receivers: Set<String>) {
        if receivers.isEmpty {
            completed[marker] = sender
            delivered += 1
            latencies.recordDuration(.zero)
        } else {
            pending[marker] = Pending(sender: sender, start: start, remaining: receivers)
        }
    }

    /// Drops a marker whose send failed, so it is neither delivered nor outstanding.
    func abandon(_ marker: String) {
        pending[marker] = nil
    }

    /// Records that `receiver`'s sync, answered at `time`, contained `marker`; the sender's own sighting is ignored.
    func seen(_ marker: String, by receiver: String, at time: ContinuousClock.Instant) {
        guard var entry = pending[marker] else {
            if let sender = completed[marker], sender != receiver { duplicates += 1 }
            return
        }
        guard entry.remaining.remove(receiver) != nil else {
            if receiver != entry.sender { duplicates += 1 }
            return
        }
        if entry.remaining.isEmpty {
            pending[marker] = nil
            completed[marker] = entry.sender
            delivered += 1
            latencies.recordDuration(time - entry.start)
        } else {
            pending[marker] = entry
        }
    }

    /// A sync returned `limited: true`: events may have been skipped for that receiver.
    func sawLimitedTimeline() {
        limitedTimelines += 1
    }

    var outstanding: Int { pending.count }
}
