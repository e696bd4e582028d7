public import Federation
public import MatrixCrypto
public import MatrixTypes
public import RoomStore
public import Rooms
import Storage

/// Another server inviting one of this server's users (`invite` v2): the invite checked, countersigned, and stored —
/// as an event of the room when a local user is joined to it, else apart, with the stripped state the inviting
/// server sent, so the invitee's sync shows the room.
public struct FederationInvites: Sendable {
    let store: RoomStore
    let writer: any EventWriting
    let verifier: ReceivedPDUVerifier
    let serverName: ServerName
    let signingKey: SigningKey

    /// Stripped state events taken with an invite at most.
    static let strippedStateLimit = 50

    public init(store: RoomStore, writer: any EventWriting, verifier: ReceivedPDUVerifier, serverName: ServerName, signingKey: SigningKey) {
        self.store = store
        self.writer = writer
        self.verifier = verifier
        self.serverName = serverName
        self.signingKey = signingKey
    }

    public func invite(room: RoomID, eventID: EventID, body: JSONValue, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let identifier = body["room_version"]?.stringValue ?? "1"
        guard let version = RoomVersion(identifier: identifier) else { throw .incompatibleRoomVersion(identifier) }
        let event: PDU
        do {
            event = try await verifier.verify(body["event"] ?? .null, version: version)
        } catch {
            throw .badRequest(error.description)
        }
        guard event.roomID == room, event.eventID == eventID else { throw .badRequest("The event's room or ID does not match the request's") }
        guard event.hasType(EventType.member), event.membership?.hasSameBytes(as: Membership.invite) == true,
            let invitee = event.stateKey.flatMap({ try? UserID($0) })
        else { throw .badRequest("Not an invite") }
        guard invitee.serverName == serverName else { throw .badRequest("The invite event must be for this server") }
        guard event.sender.serverName == origin else { throw .forbidden("The inviter must be a user of the requesting server") }
        let countersigned: PDU
        do {
            countersigned = try PDU(
                json: try signingKey.countersign(event: event.json, as: serverName.rawValue, version: version), eventID: event.eventID,
                version: version
            )
        } catch {
            throw .badRequest("The invite cannot be signed: \(error)")
        }
        var addedToRoom = false
        let resident: Bool
        do {
            resident = try await store.hasJoinedMember(of: serverName, in: room)
        } catch {
            throw .room(.storage(error))
        }
        if resident {
            try await ServerACLCheck(store: store).check(origin, in: room)
            do {
                try await add(ReceivedEvents(roomID: room, events: [countersigned]))
                addedToRoom = true
            } catch .room(.missingEvents) {
                // Behind the inviting server: the invite is kept apart, as for a room not held here; the room's copy
                // arrives with the events before it.
            }
        }
        if !addedToRoom {
            var stored = countersigned.json
            let stripped = (body["invite_room_state"]?.arrayValue ?? []).prefix(Self.strippedStateLimit)
            stored["unsigned"] = ["invite_room_state": .array(Array(stripped))]
            do {
                let withState = try PDU(json: stored, eventID: event.eventID, version: version)
                try await add(ReceivedEvents(roomID: room, events: [withState], kind: .outOfRoom))
            } catch let error as FederationRoomError {
                throw error
            } catch {
                throw .badRequest("\(error)")
            }
        }
        return ["event": countersigned.json]
    }

    private func add(_ received: ReceivedEvents) async throws(FederationRoomError) {
        let outcomes: [ReceivedOutcome]
        do {
            outcomes = try await writer.receive(received)
        } catch {
            throw .room(error)
        }
        if case .rejected(let reason)? = outcomes.first?.status { throw .forbidden(reason) }
        if outcomes.first?.status == .softFailed { throw .forbidden("The invite is not allowed by the room's current state") }
    }
}
