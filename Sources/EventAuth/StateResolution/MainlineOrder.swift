import MatrixTypes

extension EventGraph {
    /// `events` in mainline order of `powerLevels`: events whose power levels lie earlier on the mainline (or off it)
    /// first, then by `origin_server_ts`, then by event ID.
    func mainlineOrder(of events: Set<EventID>, powerLevels: EventID?) -> [EventID] {
        guard !events.isEmpty else { return [] }
        var mainline: [EventID] = []
        var next = powerLevels
        while let current = next, !mainline.contains(current) {
            mainline.append(current)
            next = powerLevelsAuthEvent(of: current)
        }
        // Depth along the mainline counted from its oldest event, so 0 ("not on the mainline") sorts first.
        let depths = Dictionary(uniqueKeysWithValues: mainline.reversed().enumerated().map { ($1, $0 + 1) })
        let keyed = events.map { id in
            (id: id, depth: mainlineDepth(of: id, depths: depths), ts: event(id)?.originServerTS ?? 0)
        }
        return keyed.sorted { lhs, rhs in
            if lhs.depth != rhs.depth { return lhs.depth < rhs.depth }
            if lhs.ts != rhs.ts { return lhs.ts < rhs.ts }
            return lhs.id < rhs.id
        }.map(\.id)
    }

    /// The depth of the nearest mainline event found by following power levels auth events from `id` itself.
    private func mainlineDepth(of id: EventID, depths: [EventID: Int]) -> Int {
        var current: EventID? = id
        var visited: Set<EventID> = []
        while let candidate = current, visited.insert(candidate).inserted {
            if let depth = depths[candidate] { return depth }
            current = powerLevelsAuthEvent(of: candidate)
        }
        return 0
    }
}
