import Federation
import Logging
import MatrixCrypto
import MatrixTypes
import NIOHTTP1
import RoomStore
import Rooms
import Storage

/// Adds one staged PDU to its room: checks it, fetches from its origin the events it builds on that this server lacks
/// (`get_missing_events`), then hands it to the room's writer. A gap one fetch does not close is bridged as Synapse
/// does: the events still lacking prev events are added with the state before them as the origin answers `/state`,
/// and what lies between is left to be fetched as history.
struct StagedPDUAdder: Sendable {
    let store: RoomStore
    let writer: any EventWriting
    let verifier: ReceivedPDUVerifier
    let client: FederationClient
    let versions: RoomVersions
    let logger: Logger

    /// Events asked for at most to close one gap.
    static let missingEventsLimit = 20
    /// `/state` requests at most to bridge one gap: each answers a whole room state.
    static let stateRequests = 5

    /// `true` when the PDU is done with (added, or refused for good); `false` when this server's own failure leaves it
    /// for a later try.
    func add(_ row: StagedPDUsTable.Row) async -> Bool {
        guard let room = try? RoomID(row.roomID), let origin = try? ServerName(row.origin), let version = try? await versions.version(of: room),
            let json = try? JSONValue.parse(row.json)
        else {
            logger.info("dropped a staged PDU of an unknown room", metadata: ["event": "\(row.eventID)"])
            return true
        }
        let event: PDU
        do {
            event = try await verifier.verify(json, version: version)
        } catch {
            logger.info("dropped a PDU", metadata: ["event": "\(row.eventID)", "origin": "\(origin)", "reason": "\(error)"])
            return true
        }
        do {
            try await receive([event], in: room)
            return true
        } catch .missingEvents {
            // Fetched below.
        } catch {
            return done(after: error, event: event)
        }
        do {
            let events = try await missingEvents(before: event, in: room, version: version, from: origin) + [event]
            do {
                try await receive(events, in: room)
            } catch .missingEvents {
                try await receive(events, in: room, statesBefore: try await statesAcrossGap(events, version: version, from: origin))
            }
            return true
        } catch {
            return done(after: error, event: event)
        }
    }

    /// The state before each of `events` (oldest first) whose prev events are neither stored in the room's timeline
    /// nor earlier among them, as `origin` answers it; at most `stateRequests`.
    private func statesAcrossGap(_ events: [PDU], version: RoomVersion, from origin: ServerName) async throws(RoomError) -> [EventID: JoinedRoomState] {
        let held = try await RoomError.catching { try await store.storedEvents(Set(events.flatMap(\.prevEventIDs))) }
        var available = Set(held.filter { !$0.outlier }.map(\.eventID))
        var states: [EventID: JoinedRoomState] = [:]
        for event in events {
            defer { available.insert(event.eventID) }
            guard !event.prevEventIDs.allSatisfy(available.contains), states.count < Self.stateRequests else { continue }
            states[event.eventID] = try await AnsweredState(verifier: verifier, logger: logger).fetched(
                before: event, version: version, from: origin, client: client
            )
        }
        return states
    }

    private func receive(_ events: [PDU], in room: RoomID, statesBefore: [EventID: JoinedRoomState] = [:]) async throws(RoomError) {
        for outcome in try await writer.receive(ReceivedEvents(roomID: room, events: events, statesBefore: statesBefore)) {
            if case .rejected(let reason) = outcome.status {
                logger.info("rejected a received event", metadata: ["event": "\(outcome.eventID)", "reason": "\(reason)"])
            }
        }
    }

    /// Whether a failure ends the PDU's turn: this server's own failures do not.
    private func done(after error: RoomError, event: PDU) -> Bool {
        switch error {
        case .storage, .writerUnavailable, .cancelled:
            logger.warning("adding a received PDU failed; it stays staged", metadata: ["event": "\(event.eventID)", "error": "\(error)"])
            return false
        default:
            logger.info("dropped a PDU", metadata: ["event": "\(event.eventID)", "reason": "\(error)"])
            return true
        }
    }

    /// The events between the room's extremities here and `event`, asked of `origin`, checked, oldest first.
    private func missingEvents(before event: PDU, in room: RoomID, version: RoomVersion, from origin: ServerName) async throws(RoomError) -> [PDU] {
        let extremities = try await RoomError.catching { try await store.forwardExtremities(in: room) }
        let answer: JSONValue
        do {
            answer = try await client.send(
                .POST, "/_matrix/federation/v1/get_missing_events/\(FederationTarget.encoded(room.rawValue))", to: origin,
                content: [
                    "earliest_events": .array(extremities.map { .string($0.rawValue) }),
                    "latest_events": [.string(event.eventID.rawValue)],
                    "limit": .integer(Int64(Self.missingEventsLimit)),
                    "min_depth": 0,
                ]
            )
        } catch {
            throw .missingEvents(event.prevEventIDs)
        }
        var fetched: [PDU] = []
        for json in (answer["events"]?.arrayValue ?? []).prefix(Self.missingEventsLimit) {
            guard let checked = try? await verifier.verify(json, version: version), checked.roomID == room else { continue }
            fetched.append(checked)
        }
        return fetched.sorted { ($0.depth, $0.originServerTS) < ($1.depth, $1.originServerTS) }
    }
}
