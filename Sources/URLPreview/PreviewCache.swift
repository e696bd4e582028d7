import MatrixTypes

/// The previews made, kept as Synapse keeps them, within bounds. A URL's preview being made, or made (or failed)
/// within the last `recentLifetime`, is shared by every request for the URL whatever its `ts`, so concurrent
/// requests cause one fetch and a failing site is not asked again at once. Successful previews are also kept
/// until they expire: a request for a time `ts` takes the newest made at or before `ts` (the oldest when `ts` is
/// earlier than all) if it was still valid at `ts`. At most `capacity` URLs in each, and `historyDepth` previews a URL.
actor PreviewCache {
    /// A successful preview, its making time and the time it stops being valid, in Unix milliseconds.
    struct Made: Sendable {
        var og: JSONObject
        var madeAt: Int64
        var expiresAt: Int64
    }

    typealias Outcome = Result<Made, URLPreviewError>

    private var recent: [String: (since: Int64, task: Task<Outcome, Never>)] = [:]
    private var history: [String: [Made]] = [:]
    private let capacity: Int
    private let recentLifetime: Int64
    private let historyDepth = 10
    private let clock: @Sendable () -> Int64

    init(capacity: Int, recentLifetime: Int64, clock: @escaping @Sendable () -> Int64) {
        self.capacity = capacity
        self.recentLifetime = recentLifetime
        self.clock = clock
    }

    /// The preview of `url` as of `ts`, from the cache or from `make`.
    func preview(of url: String, at ts: Int64, make: @escaping @Sendable () async -> Outcome) async -> Outcome {
        let now = clock()
        if let (since, task) = recent[url], now - since < recentLifetime { return await task.value }
        if recent.count >= capacity { forgetOldestRecent(now: now) }
        let kept = stored(url, at: ts, now: now)
        let task = Task { () -> Outcome in
            if let kept { return .success(kept) }
            let outcome = await make()
            if case .success(let made) = outcome { self.remember(made, for: url) }
            return outcome
        }
        recent[url] = (now, task)
        return await task.value
    }

    private func stored(_ url: String, at ts: Int64, now: Int64) -> Made? {
        guard let previews = history[url] else { return nil }
        let chosen = previews.last { $0.madeAt <= ts } ?? previews.first
        guard let chosen, chosen.expiresAt > ts, chosen.expiresAt > now else { return nil }
        return chosen
    }

    private func remember(_ made: Made, for url: String) {
        let now = clock()
        var previews = (history[url] ?? []).filter { $0.expiresAt > now }
        previews.append(made)
        history[url] = Array(previews.suffix(historyDepth))
        guard history.count > capacity else { return }
        history = history.compactMapValues { previews in
            let live = previews.filter { $0.expiresAt > now }
            return live.isEmpty ? nil : live
        }
        while history.count > capacity, let soonest = history.min(by: { ($0.value.last?.expiresAt ?? 0) < ($1.value.last?.expiresAt ?? 0) }) {
            history[soonest.key] = nil
        }
    }

    /// Makes room for one more: the stale entries go, else the oldest.
    private func forgetOldestRecent(now: Int64) {
        recent = recent.filter { now - $0.value.since < recentLifetime }
        if recent.count >= capacity, let oldest = recent.min(by: { $0.value.since < $1.value.since }) {
            recent[oldest.key] = nil
        }
    }
}
