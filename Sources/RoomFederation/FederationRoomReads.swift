import EventAuth
import MatrixCrypto
public import MatrixTypes
public import RoomStore
public import Rooms
import Storage

/// What other servers read of rooms this server is in: single events, the state before an event (whole or as IDs),
/// auth chains, the events between two points of a room's graph (`get_missing_events`) and older history
/// (`backfill`). Only a server with a user joined to the room may read it, and an event it could not have seen
/// (history visible to `joined` or `invited` members while none of its users was) is answered redacted, as Synapse
/// answers it.
public struct FederationRoomReads: Sendable {
    let store: RoomStore
    let versions: RoomVersions
    let serverName: ServerName
    let clock: @Sendable () -> Int64

    /// Events answered at most by `get_missing_events` and `backfill`.
    static let pageLimit = 100

    public init(store: RoomStore, serverName: ServerName, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.store = store
        self.versions = RoomVersions(store: store)
        self.serverName = serverName
        self.clock = clock
    }

    /// `GET /event/{eventId}`.
    public func event(_ eventID: EventID, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let stored = try await room { () async throws(RoomError) in try await RoomError.catching { try await store.event(eventID) } }
        guard let stored, stored.rejectedReason == nil else { throw .room(.eventNotFound) }
        let event = try await pdu(eventID, in: stored.roomID, origin: origin)
        return transaction(try await visible([event], to: origin))
    }

    /// `GET /state_ids/{roomId}?event_id=`: the state before the event and its auth chain, as IDs.
    public func stateIDs(in roomID: RoomID, at eventID: EventID, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let (state, chain) = try await stateAndChain(in: roomID, at: eventID, origin: origin)
        return [
            "pdu_ids": .array(state.map { .string($0.eventID.rawValue) }),
            "auth_chain_ids": .array(chain.map { .string($0.eventID.rawValue) }),
        ]
    }

    /// `GET /state/{roomId}?event_id=`: the state before the event and its auth chain.
    public func state(in roomID: RoomID, at eventID: EventID, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let (state, chain) = try await stateAndChain(in: roomID, at: eventID, origin: origin)
        return ["pdus": .array(state.map(\.json)), "auth_chain": .array(chain.map(\.json))]
    }

    /// `GET /event_auth/{roomId}/{eventId}`.
    public func authChain(in roomID: RoomID, of eventID: EventID, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let event = try await pdu(eventID, in: roomID, origin: origin)
        let chain = try await room { () async throws(RoomError) in
            try await StoredEventGraph(store: store).authChain(of: [event.eventID], version: event.version)
        }
        return ["auth_chain": .array(sorted(chain).map(\.json))]
    }

    /// `POST /get_missing_events/{roomId}`: events reached from `latest` through `prev_events`, stopping at
    /// `earliest`, at least `minDepth` deep, at most `limit`, oldest first.
    public func missingEvents(
        in roomID: RoomID, earliest: [EventID], latest: [EventID], limit: Int, minDepth: Int64, origin: ServerName
    ) async throws(FederationRoomError) -> JSONValue {
        let version = try await readable(roomID, by: origin)
        let found = try await walk(
            from: latest, in: roomID, version: version, limit: min(max(limit, 0), Self.pageLimit), includingStart: false,
            stopAt: Set(earliest), minDepth: minDepth
        )
        return ["events": .array(try await visible(found.sorted { ($0.depth, $0.eventID) < ($1.depth, $1.eventID) }, to: origin))]
    }

    /// `GET /backfill/{roomId}?v=&limit=`: the events `from` and those before them, newest first, at most `limit`.
    public func backfill(in roomID: RoomID, from: [EventID], limit: Int, origin: ServerName) async throws(FederationRoomError) -> JSONValue {
        let version = try await readable(roomID, by: origin)
        let found = try await walk(
            from: from, in: roomID, version: version, limit: min(max(limit, 0), Self.pageLimit), includingStart: true, stopAt: [], minDepth: 0
        )
        return transaction(try await visible(found.sorted { ($0.depth, $0.eventID) > ($1.depth, $1.eventID) }, to: origin))
    }

    /// Breadth first through `prev_events`, deepest first, over events stored and not rejected.
    private func walk(
        from starts: [EventID], in roomID: RoomID, version: RoomVersion, limit: Int, includingStart: Bool, stopAt: Set<EventID>, minDepth: Int64
    ) async throws(FederationRoomError) -> [PDU] {
        let graph = StoredEventGraph(store: store)
        var seen = Set(starts).union(stopAt)
        var frontier = try await room { () async throws(RoomError) in try await graph.events(starts, version: version) }.events.values
            .filter { $0.roomID == roomID }
        var found: [PDU] = includingStart ? Array(frontier.prefix(limit)) : []
        while found.count < limit, !frontier.isEmpty {
            let next = Set(frontier.flatMap(\.prevEventIDs)).subtracting(seen)
            seen.formUnion(next)
            let level = try await room { () async throws(RoomError) in try await graph.events(next, version: version) }
            frontier = level.events.values.filter { $0.roomID == roomID && !level.isRejected($0.eventID) && $0.depth >= minDepth }
                .sorted { ($0.depth, $0.eventID) > ($1.depth, $1.eventID) }
            found += frontier.prefix(limit - found.count)
        }
        return found
    }

    private func stateAndChain(in roomID: RoomID, at eventID: EventID, origin: ServerName) async throws(FederationRoomError) -> (state: [PDU], chain: [PDU]) {
        let event = try await pdu(eventID, in: roomID, origin: origin)
        let graph = StoredEventGraph(store: store)
        return try await room { () async throws(RoomError) in
            let stateIDs = try await graph.stateBefore(event)
            let state = try await graph.events(stateIDs.values, version: event.version).events.values
            let chain = try await graph.authChain(of: Array(stateIDs.values), version: event.version)
            return (sorted(Array(state)), sorted(chain))
        }
    }

    /// The stored event `eventID` of `roomID`, when `origin` may read the room.
    private func pdu(_ eventID: EventID, in roomID: RoomID, origin: ServerName) async throws(FederationRoomError) -> PDU {
        let version = try await readable(roomID, by: origin)
        let found = try await room { () async throws(RoomError) in try await StoredEventGraph(store: store).events([eventID], version: version) }
        guard let event = found.event(withID: eventID), event.roomID == roomID, !found.isRejected(eventID) else { throw .room(.eventNotFound) }
        return event
    }

    /// The room's version, when `origin` has a user joined to it (Synapse's "host in room" check); forbidden otherwise.
    private func readable(_ roomID: RoomID, by origin: ServerName) async throws(FederationRoomError) -> RoomVersion {
        let version = try await room { () async throws(RoomError) in try await versions.version(of: roomID) }
        let present = try await room { () async throws(RoomError) in try await RoomError.catching { try await store.hasJoinedMember(of: origin, in: roomID) } }
        guard present else { throw .forbidden("Host not in room.") }
        try await ServerACLCheck(store: store).check(origin, in: roomID)
        return version
    }

    /// Each event as `origin` may see it: whole when the room's history was shared (or world readable) at the event,
    /// or one of its users was joined (or invited, where invited members may read) then; redacted otherwise.
    private func visible(_ events: [PDU], to origin: ServerName) async throws(FederationRoomError) -> [JSONValue] {
        var answered: [JSONValue] = []
        for event in events {
            guard let state = try await room({ () async throws(RoomError) in try await RoomError.catching { try await store.state(after: event.eventID) } })
            else {
                answered.append(event.json)
                continue
            }
            let graph = StoredEventGraph(store: store)
            var visibility = "shared"
            if let id = state[StateKey("m.room.history_visibility", "")] {
                let setting = try await room { () async throws(RoomError) in try await graph.events([id], version: event.version) }
                visibility = setting.event(withID: id)?.content["history_visibility"]?.stringValue ?? visibility
            }
            if ["shared", "world_readable"].contains(where: { $0.hasSameBytes(as: visibility) }) {
                answered.append(event.json)
                continue
            }
            let members = state.filter { key, _ in
                key.type.hasSameBytes(as: EventType.member) && (try? UserID(key.stateKey))?.serverName == origin
            }
            let memberships = try await room { () async throws(RoomError) in try await graph.events(members.values, version: event.version) }
            let allowed = visibility.hasSameBytes(as: "invited") ? [Membership.join, Membership.invite] : [Membership.join]
            let present = memberships.events.values.contains { member in allowed.contains { member.membership?.hasSameBytes(as: $0) == true } }
            if present {
                answered.append(event.json)
            } else if let redacted = try? EventRedaction.redact(event.json, rules: event.version.redactionRules) {
                answered.append(redacted)
            }
        }
        return answered
    }

    private func transaction(_ pdus: [JSONValue]) -> JSONValue {
        ["origin": .string(serverName.rawValue), "origin_server_ts": .integer(clock()), "pdus": .array(pdus)]
    }

    private func sorted(_ events: [PDU]) -> [PDU] {
        events.sorted { ($0.depth, $0.eventID) < ($1.depth, $1.eventID) }
    }

    private func room<T>(_ body: () async throws(RoomError) -> T) async throws(FederationRoomError) -> T {
        do {
            return try await body()
        } catch {
            throw .room(error)
        }
    }
}
