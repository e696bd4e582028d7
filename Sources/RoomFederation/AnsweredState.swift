import EventAuth
import Federation
import Logging
import MatrixTypes
import Rooms

/// A room's state as another server answered it (`send_join`, `/state`), checked before the room's writer stores it:
/// each event's signatures and hashes, then each authorised by its own auth events, shallowest first. Failing events
/// are dropped, as Synapse drops them, and the state keeps the ones that pass.
struct AnsweredState {
    let verifier: ReceivedPDUVerifier
    let logger: Logger

    /// `state` and `authChain`: the answer's lists of PDUs. Refused when the state lacks the room's create event.
    func checked(state: JSONValue?, authChain: JSONValue?, roomID: RoomID, version: RoomVersion) async throws(RoomError) -> JoinedRoomState {
        let stateJSON = state?.arrayValue ?? []
        let chainJSON = authChain?.arrayValue ?? []
        var received: [EventID: PDU] = [:]
        var stateIDs: [EventID] = []
        for (index, json) in (stateJSON + chainJSON).enumerated() {
            guard let event = try? await verifier.verify(json, version: version), event.roomID == roomID else { continue }
            received[event.eventID] = event
            if index < stateJSON.count, event.isState { stateIDs.append(event.eventID) }
        }
        var accepted = EventDictionary()
        for event in received.values.sorted(by: { ($0.depth, $0.eventID) < ($1.depth, $1.eventID) }) {
            do {
                try EventAuthorizer.authorize(event, using: accepted)
                accepted.insert(event)
            } catch {
                logger.info("dropped an event of an answered state", metadata: ["event": "\(event.eventID)", "reason": "\(error.message)"])
            }
        }
        var checkedState: StateMap = [:]
        for id in stateIDs {
            if let event = accepted.event(withID: id), let key = event.stateMapKey { checkedState[key] = id }
        }
        guard checkedState[.create] != nil else { throw .remoteUnavailable("the answered state lacks the room's create event") }
        return JoinedRoomState(events: Array(accepted.events.values), state: checkedState)
    }

    /// The room's state before `event` as `server` answers `/state` at it, checked.
    func fetched(before event: PDU, version: RoomVersion, from server: ServerName, client: FederationClient) async throws(RoomError) -> JoinedRoomState {
        let answer: JSONValue
        do {
            answer = try await client.get(
                FederationTarget.make(
                    "/_matrix/federation/v1/state/\(FederationTarget.encoded(event.roomID.rawValue))", query: [("event_id", event.eventID.rawValue)]
                ),
                from: server
            )
        } catch {
            throw .remoteUnavailable("/state at \(event.eventID): \(error)")
        }
        return try await checked(state: answer["pdus"], authChain: answer["auth_chain"], roomID: event.roomID, version: version)
    }
}
