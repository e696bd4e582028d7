import EventAuth
import MatrixTypes
import RoomStore
import Storage

/// The room's state after several events at once (an event's `prev_events`, or the room's forward extremities), as
/// every server computes it: the state after one of them when there is one, their states resolved otherwise.
///
/// It is expressed against the state after `base`, one of the events, because that is how the store records state.
struct ResolvedState: Sendable {
    /// One of the events; the store's state after it plus `changes` is the resolved state.
    var base: EventID
    var changes: StateMap
    /// The whole resolved state.
    var state: StateMap

    /// Resolves the states after `events` (at least one, all with state recorded, else `missingEvents`).
    static func after(_ events: [EventID], version: RoomVersion, store: RoomStore) async throws(RoomError) -> ResolvedState {
        precondition(!events.isEmpty, "state is resolved after at least one event")
        var sets: [StateMap] = []
        for id in events {
            guard let state = try await RoomError.catching({ try await store.state(after: id) }) else { throw .missingEvents([id]) }
            sets.append(state)
        }
        if sets.count == 1 || sets.dropFirst().allSatisfy({ $0 == sets[0] }) {
            return ResolvedState(base: events[0], changes: [:], state: sets[0])
        }
        let ids = Set(sets.flatMap(\.values))
        let graph = try await StoredEventGraph(store: store).withAuthChains(of: ids, version: version)
        let resolved = StateResolution.resolve(sets, version: version, events: graph)
        // The store records state as additions to a base; a slot resolution empties (rare: every candidate failed
        // auth) keeps the base's event there.
        let changes = resolved.filter { key, id in sets[0][key] != id }
        var state = sets[0]
        state.merge(changes) { _, new in new }
        return ResolvedState(base: events[0], changes: changes, state: state)
    }
}
