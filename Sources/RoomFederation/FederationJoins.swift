import EventAuth
public import Federation
public import MatrixTypes
public import RoomStore
public import Rooms
import Storage

/// Another server's user joining a room this server is in: the unsigned join to sign (`make_join`), then the signed
/// join checked and added, answered with the state it was authorised against and that state's auth chain
/// (`send_join` v2).
public struct FederationJoins: Sendable {
    let store: RoomStore
    let writer: any EventWriting
    let templates: EventTemplates
    let versions: RoomVersions
    let verifier: ReceivedPDUVerifier
    let serverName: ServerName

    public init(store: RoomStore, writer: any EventWriting, verifier: ReceivedPDUVerifier, serverName: ServerName) {
        self.store = store
        self.writer = writer
        self.templates = EventTemplates(store: store, serverName: serverName)
        self.versions = RoomVersions(store: store)
        self.verifier = verifier
        self.serverName = serverName
    }

    /// `make_join`: the join for `user` (of `origin`) to sign, when the room's version is among `supportedVersions`
    /// (`ver`; a server that lists none supports only version 1).
    public func template(room: RoomID, user: UserID, origin: ServerName, supportedVersions: [String]) async throws(FederationRoomError) -> JSONValue {
        guard user.serverName == origin else { throw .forbidden("The join must be for a user of the requesting server") }
        let intent = EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: ["membership": .string(Membership.join)])
        let template: EventTemplates.Template
        do {
            template = try await templates.template(intent, in: room)
        } catch {
            throw .room(error)
        }
        let (event, version) = (template.event, template.version)
        let accepted = supportedVersions.isEmpty ? ["1"] : supportedVersions
        guard accepted.contains(where: { $0.hasSameBytes(as: version.identifier) }) else {
            throw .incompatibleRoomVersion(version.identifier)
        }
        return ["event": event, "room_version": .string(version.identifier)]
    }

    /// `send_join` v2: checks the signed join `json` (for `room`, with ID `eventID`, sent by a user of `origin`),
    /// adds it, and answers with the state before it and its auth chain.
    public func accept(room: RoomID, eventID: EventID, json: JSONValue, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let version = try await roomVersion(room)
        let event: PDU
        do {
            event = try await verifier.verify(json, version: version)
        } catch {
            throw .badRequest(error.description)
        }
        guard event.roomID == room, event.eventID == eventID else {
            throw .badRequest("The event's room or ID does not match the request's")
        }
        guard event.hasType(EventType.member), event.membership?.hasSameBytes(as: Membership.join) == true,
            event.stateKey?.hasSameBytes(as: event.sender.rawValue) == true
        else { throw .badRequest("Not a join event of its sender") }
        guard event.sender.serverName == origin else { throw .forbidden("The join must be for a user of the requesting server") }
        let outcome: ReceivedOutcome
        do {
            guard let first = try await writer.receive(ReceivedEvents(roomID: room, events: [event])).first else {
                throw FederationRoomError.badRequest("The join was not taken")
            }
            outcome = first
        } catch let error as FederationRoomError {
            throw error
        } catch {
            throw .room(error as? RoomError ?? .invalidEvent("\(error)"))
        }
        switch outcome.status {
        case .accepted: break
        case .softFailed: throw .forbidden("The join is not allowed by the room's current state")
        case .rejected(let reason): throw .forbidden(reason)
        }
        return try await answer(join: event, stateBefore: outcome.stateBefore, version: version)
    }

    private func roomVersion(_ room: RoomID) async throws(FederationRoomError) -> RoomVersion {
        do {
            return try await versions.version(of: room)
        } catch {
            throw .room(error)
        }
    }

    private func answer(join: PDU, stateBefore: StateMap, version: RoomVersion) async throws(FederationRoomError) -> JSONValue {
        let graph = StoredEventGraph(store: store)
        do {
            let state = try await graph.events(stateBefore.values, version: version)
            let chain = try await graph.authChain(of: Array(stateBefore.values) + [join.eventID], version: version)
            let joined = try await RoomError.catching { try await store.members(of: join.roomID, membership: Membership.join) }
            let servers = Set(joined.map(\.serverName.rawValue)).sorted()
            return [
                "origin": .string(serverName.rawValue),
                "state": .array(state.events.values.sorted { $0.eventID < $1.eventID }.map(\.json)),
                "auth_chain": .array(chain.sorted { $0.eventID < $1.eventID }.map(\.json)),
                "event": join.json,
                "members_omitted": false,
                "servers_in_room": .array(servers.map(JSONValue.string)),
            ]
        } catch {
            throw .room(error)
        }
    }
}
