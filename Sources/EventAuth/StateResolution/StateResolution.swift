import MatrixTypes

/// State resolution: the room state before an event whose `prev_events` lead to different states.
///
/// Every server must compute the same result bit for bit, so each algorithm follows its room version's
/// specification, including its tie-breaks: v1 for room v1, v2 for rooms v2–v11, and v2.1 for room v12 (which
/// replays conflicted events from an empty state and adds the conflicted state subgraph).
public enum StateResolution {
    /// Resolves `stateSets` (the states after each of an event's `prev_events`). Events are looked up in `events`;
    /// unknown events are left out, and rejected ones never authorise others.
    public static func resolve(_ stateSets: [StateMap], version: RoomVersion, events: some EventProvider) -> StateMap {
        let graph = EventGraph(events)
        switch version.stateResolution {
        case .v1:
            return StateResolutionV1(version: version, graph: graph).resolve(stateSets)
        case .v2:
            return StateResolutionV2(version: version, graph: graph, replaysFromEmptyState: false).resolve(stateSets)
        case .v2_1:
            return StateResolutionV2(version: version, graph: graph, replaysFromEmptyState: true).resolve(stateSets)
        }
    }
}
