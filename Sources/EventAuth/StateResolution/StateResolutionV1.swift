import MatrixCrypto
import MatrixTypes

/// State resolution v1 (room v1), as deployed: conflicts are resolved in passes (power levels, then join rules, then
/// memberships, then everything else) against the unconflicted state, ordering candidates by depth and the SHA-1 of
/// their event IDs. A slot only some of the sets fill is not a conflict here.
struct StateResolutionV1<Events: EventProvider> {
    let version: RoomVersion
    let graph: EventGraph<Events>

    func resolve(_ stateSets: [StateMap]) -> StateMap {
        guard stateSets.count > 1 else { return stateSets.first ?? [:] }
        var (unconflicted, conflictedIDs) = Self.separate(stateSets)
        let known = conflictedIDs.mapValues { $0.compactMap(graph.event) }
        var authState = authEvents(for: known.values.joined(), from: unconflicted)
        var conflicted: [StateKey: [PDU]] = [:]
        for (key, events) in known {
            if events.count > 1 { conflicted[key] = events } else if let only = events.first { unconflicted[key] = only.eventID }
        }
        var resolved: [StateKey: PDU] = [:]
        if let powerLevels = conflicted[.powerLevels] {
            resolved[.powerLevels] = resolveAuthEvents(powerLevels, authState: authState)
        }
        for passType in [EventType.joinRules, EventType.member] {
            authState.merge(resolved) { _, new in new }
            for (key, events) in conflicted where key.type.hasSameBytes(as: passType) {
                resolved[key] = resolveAuthEvents(events, authState: authState)
            }
        }
        authState.merge(resolved) { _, new in new }
        for (key, events) in conflicted where resolved[key] == nil {
            resolved[key] = resolveOtherEvents(events, authState: authState)
        }
        return unconflicted.merging(resolved.mapValues(\.eventID)) { _, resolvedValue in resolvedValue }
    }

    /// Walks the sets in order: a slot is unconflicted until a later set gives it another event.
    static func separate(_ stateSets: [StateMap]) -> (unconflicted: StateMap, conflicted: [StateKey: Set<EventID>]) {
        var unconflicted = stateSets.first ?? [:]
        var conflicted: [StateKey: Set<EventID>] = [:]
        for stateSet in stateSets.dropFirst() {
            for (key, id) in stateSet {
                if let existing = unconflicted[key] {
                    if existing != id {
                        conflicted[key] = [existing, id]
                        unconflicted[key] = nil
                    }
                } else if conflicted[key] != nil {
                    conflicted[key]?.insert(id)
                } else {
                    unconflicted[key] = id
                }
            }
        }
        return (unconflicted, conflicted)
    }

    /// The unconflicted events in the slots the conflicted events' auth rules read.
    private func authEvents(for events: some Sequence<PDU>, from unconflicted: StateMap) -> [StateKey: PDU] {
        var authState: [StateKey: PDU] = [:]
        for event in events {
            for key in authKeys(of: event) where authState[key] == nil {
                if let id = unconflicted[key], let authEvent = graph.event(id) { authState[key] = authEvent }
            }
        }
        return authState
    }

    private func authKeys(of event: PDU) -> Set<StateKey> {
        event.isCreateEvent ? [] : AuthEventSelection.stateKeys(for: event).union([.create])
    }

    /// Deepest first, then by the hex SHA-1 of the event ID.
    private func ordered(_ events: [PDU]) -> [PDU] {
        events.map { (event: $0, digest: $0.eventID.sha1HexDigest) }
            .sorted { lhs, rhs in
                if lhs.event.depth != rhs.event.depth { return lhs.event.depth > rhs.event.depth }
                return lhs.digest < rhs.digest
            }
            .map(\.event)
    }

    /// From the shallowest event on, each event replaces the previous one while it passes the auth rules in the
    /// state the previous one made; the last to do so wins.
    private func resolveAuthEvents(_ events: [PDU], authState: [StateKey: PDU]) -> PDU {
        let candidates = Array(ordered(events).reversed())
        let keys = Set(events.flatMap(authKeys))
        var state = authState.filter { keys.contains($0.key) }
        var previous = candidates[0]
        for event in candidates.dropFirst() {
            if let key = previous.stateMapKey { state[key] = previous }
            guard (try? EventAuthorizer.check(event, against: state)) != nil else { return previous }
            previous = event
        }
        return previous
    }

    /// The deepest event that passes the auth rules, or the shallowest when none does.
    private func resolveOtherEvents(_ events: [PDU], authState: [StateKey: PDU]) -> PDU {
        let candidates = ordered(events)
        return candidates.first { (try? EventAuthorizer.check($0, against: authState)) != nil } ?? candidates[candidates.count - 1]
    }
}
