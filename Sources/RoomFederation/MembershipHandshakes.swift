import EventAuth
public import Federation
public import MatrixCrypto
public import MatrixTypes
public import RoomStore
public import Rooms
import Storage

/// Another server's user joining, leaving or knocking on a room this server is in: the unsigned membership event to
/// sign (`make_join`, `make_leave`, `make_knock`), then the signed event checked and added (`send_join` v2, answered
/// with the state it was authorised against and that state's auth chain; `send_leave` v2; `send_knock`, answered
/// with the room's stripped state). A join to a restricted room names one of this server's members to vouch for
/// it (`RestrictedJoins`), and this server countersigns it when it comes back.
public struct MembershipHandshakes: Sendable {
    let store: RoomStore
    let writer: any EventWriting
    let templates: EventTemplates
    let versions: RoomVersions
    let verifier: ReceivedPDUVerifier
    let restrictedJoins: RestrictedJoins
    let serverName: ServerName
    let signingKey: SigningKey

    public init(store: RoomStore, writer: any EventWriting, verifier: ReceivedPDUVerifier, serverName: ServerName, signingKey: SigningKey) {
        self.store = store
        self.writer = writer
        self.templates = EventTemplates(store: store, serverName: serverName)
        self.versions = RoomVersions(store: store)
        self.verifier = verifier
        self.restrictedJoins = RestrictedJoins(store: store, serverName: serverName)
        self.serverName = serverName
        self.signingKey = signingKey
    }

    /// `make_join`, `make_leave`, `make_knock`: the `membership` event for `user` (of `origin`) to sign. With
    /// `supportedVersions` (`ver`; a server that lists none supports only version 1), the room's version must be one.
    public func template(
        _ membership: String, room: RoomID, user: UserID, origin: ServerName, supportedVersions: [String]?
    ) async throws(FederationRoomError) -> JSONValue {
        guard user.serverName == origin else { throw .forbidden("The membership must be of a user of the requesting server") }
        try await ServerACLCheck(store: store).check(origin, in: room)
        var content: JSONValue = ["membership": .string(membership)]
        let template: EventTemplates.Template
        do {
            if membership.hasSameBytes(as: Membership.join), let authoriser = try await restrictedJoins.authoriser(of: user, joining: room) {
                content["join_authorised_via_users_server"] = .string(authoriser.rawValue)
            }
            let intent = EventIntent(sender: user, type: EventType.member, stateKey: user.rawValue, content: content)
            template = try await templates.template(intent, in: room)
        } catch {
            throw .room(error)
        }
        let (event, version) = (template.event, template.version)
        if let supportedVersions {
            let accepted = supportedVersions.isEmpty ? ["1"] : supportedVersions
            guard accepted.contains(where: { $0.hasSameBytes(as: version.identifier) }) else {
                throw .incompatibleRoomVersion(version.identifier)
            }
        }
        return ["event": event, "room_version": .string(version.identifier)]
    }

    /// `send_join` v2: the join added, answered with the state before it and its auth chain.
    public func acceptJoin(room: RoomID, eventID: EventID, json: JSONValue, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let (event, outcome, version) = try await accept(Membership.join, room: room, eventID: eventID, json: json, origin: origin)
        return try await answer(join: event, stateBefore: outcome.stateBefore, version: version)
    }

    /// `send_leave` v2: the leave added.
    public func acceptLeave(room: RoomID, eventID: EventID, json: JSONValue, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        _ = try await accept(Membership.leave, room: room, eventID: eventID, json: json, origin: origin)
        return [:]
    }

    /// `send_knock`: the knock added, answered with the room's stripped state.
    public func acceptKnock(room: RoomID, eventID: EventID, json: JSONValue, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let (_, outcome, version) = try await accept(Membership.knock, room: room, eventID: eventID, json: json, origin: origin)
        do {
            let state = try await StoredEventGraph(store: store).events(outcome.stateBefore.values, version: version)
            return ["knock_room_state": .array(StrippedState.entries(of: state.events.values))]
        } catch {
            throw .room(error)
        }
    }

    /// Checks the signed `membership` event `json` (for `room`, with ID `eventID`, of a user of `origin`) and adds it;
    /// refused (403) when the auth rules do not allow it.
    private func accept(
        _ membership: String, room: RoomID, eventID: EventID, json: JSONValue, origin: ServerName
    ) async throws(FederationRoomError) -> (event: PDU, outcome: ReceivedOutcome, version: RoomVersion) {
        try await ServerACLCheck(store: store).check(origin, in: room)
        let version = try await roomVersion(room)
        let vouched = membership.hasSameBytes(as: Membership.join)
            ? try await vouchedFor(json, room: room, origin: origin, version: version) : json
        let event: PDU
        do {
            event = try await verifier.verify(vouched, version: version)
        } catch {
            throw .badRequest(error.description)
        }
        guard event.roomID == room, event.eventID == eventID else {
            throw .badRequest("The event's room or ID does not match the request's")
        }
        guard event.hasType(EventType.member), event.membership?.hasSameBytes(as: membership) == true,
            event.stateKey?.hasSameBytes(as: event.sender.rawValue) == true
        else { throw .badRequest("Not a \(membership) event of its sender") }
        guard event.sender.serverName == origin else { throw .forbidden("The membership must be of a user of the requesting server") }
        let outcome: ReceivedOutcome
        do {
            guard let first = try await writer.receive(ReceivedEvents(roomID: room, events: [event])).first else {
                throw FederationRoomError.badRequest("The event was not taken")
            }
            outcome = first
        } catch let error as FederationRoomError {
            throw error
        } catch {
            throw .room(error as? RoomError ?? .invalidEvent("\(error)"))
        }
        switch outcome.status {
        case .accepted: return (event, outcome, version)
        case .softFailed: throw .forbidden("The membership is not allowed by the room's current state")
        case .rejected(let reason): throw .forbidden(reason)
        }
    }

    /// A join naming one of this server's members in `join_authorised_via_users_server`, countersigned here (the auth
    /// rules need this server's signature on it) once the joiner, a user of `origin` joining themselves, is found to
    /// meet the room's join rule here as `make_join` found it: the countersignature is this server vouching, so it is
    /// never given for a join the rule would not admit. Anything else as it came.
    private func vouchedFor(_ json: JSONValue, room: RoomID, origin: ServerName, version: RoomVersion) async throws(FederationRoomError) -> JSONValue {
        guard let authoriser = json["content"]?["join_authorised_via_users_server"]?.stringValue,
            (try? UserID(authoriser))?.serverName == serverName
        else { return json }
        guard let sender = json["sender"]?.stringValue.flatMap({ try? UserID($0) }), sender.serverName == origin,
            json["state_key"]?.stringValue?.hasSameBytes(as: sender.rawValue) == true,
            json["content"]?["membership"]?.stringValue?.hasSameBytes(as: Membership.join) == true
        else { throw .badRequest("Not a join event of a user of the requesting server") }
        do {
            guard try await restrictedJoins.authoriser(of: sender, joining: room) != nil else { return json }
        } catch {
            throw .room(error)
        }
        do {
            return try signingKey.countersign(event: json, as: serverName.rawValue, version: version)
        } catch {
            throw .badRequest("the join cannot be countersigned: \(error)")
        }
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
