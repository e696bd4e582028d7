import MatrixCrypto
import MatrixTypes
import RoomStore
import Storage

/// Reads a room's snapshot from the store when the writer first touches it after a start.
struct RoomSnapshotLoader {
    let store: RoomStore

    func load(_ roomID: RoomID) async throws(RoomError) -> RoomSnapshot {
        let extremityIDs = try await RoomError.catching { try await store.forwardExtremities(in: roomID) }
        guard !extremityIDs.isEmpty else { throw .roomNotFound }
        let extremityEvents = try await RoomError.catching { try await store.events(extremityIDs) }
        guard let deepest = extremityEvents.max(by: { $0.position < $1.position }),
            let state = try await RoomError.catching({ try await store.state(after: deepest.eventID) }),
            let createID = state[.create]
        else { throw .roomNotFound }
        let stateEvents = try await RoomError.catching { try await store.events(Array(state.values)) }
        guard let createEvent = stateEvents.first(where: { $0.eventID == createID }) else { throw .roomNotFound }
        let version = try RoomVersions.version(ofCreateEvent: createEvent.json)
        var statePDUs: [StateKey: PDU] = [:]
        for event in stateEvents {
            let pdu = try decode(event.json, version: version)
            if let key = pdu.stateMapKey { statePDUs[key] = pdu }
        }
        return RoomSnapshot(
            roomID: roomID, version: version, state: statePDUs,
            extremities: try extremityEvents.map { event throws(RoomError) in try decode(event.json, version: version) }
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
