import EventAuth
import MatrixTypes
import RoomStore
import Storage

/// How a received event is stored, decided as the spec orders the checks: against its own auth events (rejected when
/// they do not allow it), against the state before it (rejected), then against the room's current state (soft-failed;
/// not for older history, which Synapse never soft-fails either).
struct ReceivedEventAssessment {
    let store: RoomStore

    struct Assessment {
        var event: NewEvent
        var status: ReceivedOutcome.Status
        var stateBefore: StateMap
    }

    /// `current`: the room's state now, for events newer than what the room holds; `nil` for older history.
    /// `answeredStateBefore`: the state before the event as another server answered it, for an event whose
    /// `prev_events` are not held here; otherwise it is resolved from them. Throws `missingEvents` when a prev or auth
    /// event it needs is not stored (the caller fetches them first).
    func assess(
        _ event: PDU, version: RoomVersion, current: RoomSnapshot?, answeredStateBefore: StateMap? = nil
    ) async throws(RoomError) -> Assessment {
        // Recorded against the state after one of its prev events, or as a whole when the state was answered (or
        // when it is the room's create event, reached at the bottom of its history).
        let base: EventID?
        var changes: StateMap
        let stateBefore: StateMap
        if let answeredStateBefore {
            (base, changes, stateBefore) = (nil, answeredStateBefore, answeredStateBefore)
        } else if event.prevEventIDs.isEmpty {
            guard current == nil, event.hasType(EventType.create) else { throw .badRequest("event \(event.eventID) has no prev_events") }
            (base, changes, stateBefore) = (nil, [:], [:])
        } else {
            let resolved = try await ResolvedState.after(event.prevEventIDs, version: version, store: store)
            (base, changes, stateBefore) = (resolved.base, resolved.changes, resolved.state)
        }
        let graph = StoredEventGraph(store: store)
        let authEvents = try await graph.events(event.authEventIDsWithCreate, version: version)
        let missing = event.authEventIDsWithCreate.filter { authEvents.event(withID: $0) == nil }
        guard missing.isEmpty else { throw .missingEvents(missing) }
        let status = try await status(of: event, authEvents: authEvents, stateBefore: stateBefore, current: current, graph: graph)
        if status == .accepted, let key = event.stateMapKey { changes[key] = event.eventID }
        let stateAfter: StateAfter = if let base, changes.isEmpty { .sameAs(base) } else { .changed(base: base, changes: changes) }
        let rejectedReason: String? = if case .rejected(let reason) = status { reason } else { nil }
        let takesEffect = status == .accepted
        let json = try event.storedBytes()
        var stored = NewEvent(
            eventID: event.eventID, roomID: event.roomID, type: event.type, stateKey: event.stateKey, sender: event.sender,
            depth: event.depth, json: json, rejectedReason: rejectedReason, softFailed: status == .softFailed,
            prevEvents: event.prevEventIDs, stateAfter: stateAfter,
            membership: takesEffect && event.hasType(EventType.member) ? event.membership : nil,
            redacts: takesEffect && event.hasType(EventType.redaction) ? event.redacts : nil
        )
        stored.historical = current == nil
        stored.received = true
        return Assessment(event: stored, status: status, stateBefore: stateBefore)
    }

    private func status(
        of event: PDU, authEvents: EventDictionary, stateBefore: StateMap, current: RoomSnapshot?, graph: StoredEventGraph
    ) async throws(RoomError) -> ReceivedOutcome.Status {
        do {
            try EventAuthorizer.authorize(event, using: authEvents)
        } catch {
            return .rejected(error.message)
        }
        var keys = AuthEventSelection.stateKeys(for: event)
        keys.insert(.create)
        let selected = try await graph.events(keys.compactMap { stateBefore[$0] }, version: event.version)
        var before: [StateKey: PDU] = [:]
        for pdu in selected.events.values where !selected.isRejected(pdu.eventID) {
            if let key = pdu.stateMapKey { before[key] = pdu }
        }
        do {
            try EventAuthorizer.check(event, against: before)
        } catch {
            return .rejected(error.message)
        }
        guard let current else { return .accepted }
        do {
            try EventAuthorizer.check(event, against: current.state)
        } catch {
            return .softFailed
        }
        return .accepted
    }
}
