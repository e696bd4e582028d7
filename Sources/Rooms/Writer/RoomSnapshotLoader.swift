import EventAuth
import MatrixCrypto
import MatrixTypes
import RoomStore
import Storage

/// Reads a room's snapshot from the store when the writer first touches it after a start, or after events received
/// from other servers moved its extremities.
struct RoomSnapshotLoader {
    let store: RoomStore

    func load(_ roomID: RoomID) async throws(RoomError) -> RoomSnapshot {
        let extremityIDs = try await RoomError.catching { try await store.forwardExtremities(in: roomID) }
        guard !extremityIDs.isEmpty else { throw .roomNotFound }
        let extremityEvents = try await RoomError.catching { try await store.events(extremityIDs) }
        guard let deepest = extremityEvents.max(by: { $0.position < $1.position }),
            let deepestState = try await RoomError.catching({ try await store.state(after: deepest.eventID) }),
            let createID = deepestState[.create],
            let createEvent = try await RoomError.catching({ try await store.event(createID) })
        else { throw .roomNotFound }
        let version = try RoomVersions.version(ofCreateEvent: createEvent.json)
        let ordered = [deepest.eventID] + extremityEvents.map(\.eventID).filter { $0 != deepest.eventID }
        let resolved = try await ResolvedState.after(ordered, version: version, store: store)
        let stateEvents = try await StoredEventGraph(store: store).events(resolved.state.values, version: version)
        var statePDUs: [StateKey: PDU] = [:]
        for event in stateEvents.events.values {
            if let key = event.stateMapKey { statePDUs[key] = event }
        }
        return RoomSnapshot(
            roomID: roomID, version: version, state: statePDUs,
            extremities: try extremityEvents.map { event throws(RoomError) in try decode(event.json, version: version) },
            // With several extremities the state is recorded against the one resolution started from, even when it
            // equals that one's state: another extremity's state may differ.
            fork: extremityEvents.count > 1 ? (resolved.base, resolved.changes) : nil
        )
    }

    private func decode(_ json: [UInt8], version: RoomVersion) throws(RoomError) -> PDU {
        do {
            return try PDU(bytes: json, version: version)
        } catch {
            throw .invalidEvent("stored event does not decode: \(error)")
        }
    }
}
