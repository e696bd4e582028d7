import EventAuth
import MatrixTypes
import RoomStore
import Storage

/// How a received event is stored, decided as the spec orders the checks: against its own auth events (rejected when
/// they do not allow it), against the state before it (rejected), then against the room's current state (soft-failed).
struct ReceivedEventAssessment {
    let store: RoomStore

    struct Assessment {
        var event: NewEvent
        var status: ReceivedOutcome.Status
        var stateBefore: ResolvedState
    }

    /// Throws `missingEvents` when a prev or auth event is not stored (the caller fetches them first).
    func assess(_ event: PDU, current: RoomSnapshot) async throws(RoomError) -> Assessment {
        guard event.roomID == current.roomID else { throw .badRequest("event \(event.eventID) belongs to another room") }
        guard !event.prevEventIDs.isEmpty else { throw .badRequest("event \(event.eventID) has no prev_events") }
        let version = current.version
        let stateBefore = try await ResolvedState.after(event.prevEventIDs, version: version, store: store)
        let graph = StoredEventGraph(store: store)
        let authEvents = try await graph.events(event.authEventIDsWithCreate, version: version)
        let missing = event.authEventIDsWithCreate.filter { authEvents.event(withID: $0) == nil }
        guard missing.isEmpty else { throw .missingEvents(missing) }
        let status = try await status(of: event, authEvents: authEvents, stateBefore: stateBefore, current: current, graph: graph)
        let stateAfter: StateAfter =
            if status == .accepted {
                .changed(base: stateBefore.base, changes: stateBefore.applying(event))
            } else if stateBefore.changes.isEmpty {
                .sameAs(stateBefore.base)
            } else {
                .changed(base: stateBefore.base, changes: stateBefore.changes)
            }
        let rejectedReason: String? = if case .rejected(let reason) = status { reason } else { nil }
        let takesEffect = status == .accepted
        let json: [UInt8]
        do {
            json = try event.json.canonicalEncoded(for: version)
        } catch {
            throw .invalidEvent("\(error)")
        }
        let stored = NewEvent(
            eventID: event.eventID, roomID: event.roomID, type: event.type, stateKey: event.stateKey, sender: event.sender,
            depth: event.depth, json: json, rejectedReason: rejectedReason, softFailed: status == .softFailed,
            prevEvents: event.prevEventIDs, stateAfter: stateAfter,
            membership: takesEffect && event.hasType(EventType.member) ? event.membership : nil,
            redacts: takesEffect && event.hasType(EventType.redaction) ? event.redacts : nil
        )
        return Assessment(event: stored, status: status, stateBefore: stateBefore)
    }

    private func status(
        of event: PDU, authEvents: EventDictionary, stateBefore: ResolvedState, current: RoomSnapshot, graph: StoredEventGraph
    ) async throws(RoomError) -> ReceivedOutcome.Status {
        do {
            try EventAuthorizer.authorize(event, using: authEvents)
        } catch {
            return .rejected(error.message)
        }
        var keys = AuthEventSelection.stateKeys(for: event)
        keys.insert(.create)
        let selected = try await graph.events(keys.compactMap { stateBefore.state[$0] }, version: event.version)
        var before: [StateKey: PDU] = [:]
        for pdu in selected.events.values where !selected.isRejected(pdu.eventID) {
            if let key = pdu.stateMapKey { before[key] = pdu }
        }
        do {
            try EventAuthorizer.check(event, against: before)
        } catch {
            return .rejected(error.message)
        }
        do {
            try EventAuthorizer.check(event, against: current.state)
        } catch {
            return .softFailed
        }
        return .accepted
    }
}
