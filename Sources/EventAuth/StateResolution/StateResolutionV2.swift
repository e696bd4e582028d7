import MatrixTypes

/// State resolution v2 (rooms v2–v11) and v2.1 (room v12).
///
/// Power events in the full conflicted set (and their auth ancestors there) are replayed first in reverse
/// topological power order, then the other conflicted events in mainline order of the resulting power levels; the
/// unconflicted state is laid over the result. v2 replays on top of the unconflicted state, v2.1 from an empty state
/// with the conflicted state subgraph added to the full conflicted set.
struct StateResolutionV2<Events: EventProvider> {
    let version: RoomVersion
    let graph: EventGraph<Events>
    let replaysFromEmptyState: Bool

    func resolve(_ stateSets: [StateMap]) -> StateMap {
        let (unconflicted, conflicted) = Self.separate(stateSets)
        if conflicted.isEmpty { return unconflicted }
        var fullConflictedSet = conflicted.union(authDifference(stateSets))
        if replaysFromEmptyState { fullConflictedSet.formUnion(conflictedSubgraph(conflicted)) }
        fullConflictedSet = fullConflictedSet.filter { graph.event($0) != nil }

        let powerOrder = graph.reverseTopologicalPowerOrder(
            of: fullConflictedSet.filter { graph.event($0)?.isPowerEvent == true },
            within: fullConflictedSet
        )
        var resolved = graph.applyingIterativeAuthChecks(powerOrder, to: replaysFromEmptyState ? [:] : unconflicted)
        let remaining = fullConflictedSet.subtracting(powerOrder)
        let mainlineOrder = graph.mainlineOrder(of: remaining, powerLevels: resolved[.powerLevels])
        resolved = graph.applyingIterativeAuthChecks(mainlineOrder, to: resolved)
        return resolved.merging(unconflicted) { _, unconflictedValue in unconflictedValue }
    }

    /// The unconflicted state (slots every set fills with the same event) and the conflicted state set (the events
    /// of every other slot; a slot some sets lack counts as conflicted).
    static func separate(_ stateSets: [StateMap]) -> (unconflicted: StateMap, conflicted: Set<EventID>) {
        var unconflicted: StateMap = [:]
        var conflicted: Set<EventID> = []
        let keys = Set(stateSets.flatMap(\.keys))
        for key in keys {
            let values = stateSets.map { $0[key] }
            if let first = values.first, let value = first, values.allSatisfy({ $0 == value }) {
                unconflicted[key] = value
            } else {
                conflicted.formUnion(values.compactMap { $0 })
            }
        }
        return (unconflicted, conflicted)
    }

    /// The events in some but not all of the state sets' auth chains (each set's chain counting its own events).
    func authDifference(_ stateSets: [StateMap]) -> Set<EventID> {
        let chains = stateSets.map { graph.authClosure(of: $0.values) }
        guard let first = chains.first else { return [] }
        let union = chains.dropFirst().reduce(first) { $0.union($1) }
        let intersection = chains.dropFirst().reduce(first) { $0.intersection($1) }
        return union.subtracting(intersection)
    }

    /// The events on auth paths from one conflicted event to another, endpoints included: those both reachable from
    /// a conflicted event and able to reach one.
    func conflictedSubgraph(_ conflicted: Set<EventID>) -> Set<EventID> {
        let ancestors = graph.authClosure(of: conflicted)
        var citedBy: [EventID: [EventID]] = [:]
        for id in ancestors {
            for authID in graph.authEventIDs(of: id) { citedBy[authID, default: []].append(id) }
        }
        var subgraph = conflicted
        var pending = Array(conflicted)
        while let id = pending.popLast() {
            for citing in citedBy[id] ?? [] where subgraph.insert(citing).inserted {
                pending.append(citing)
            }
        }
        return subgraph
    }
}
