import MatrixCrypto
import MatrixTypes

/// Why an event could not be built (a bug in the test, such as a branch that does not exist).
public struct EventDAGError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}

extension EventDAG {
    /// Starts the room: the create event on the main branch, with the content each version expects
    /// (`creator` before v11, `additional_creators` in v12 when given). Before v12 the room is
    /// `!<roomLocalpart>:<creator's server>`; a v12 room is named after its create event.
    @discardableResult
    public mutating func create(
        by creator: UserID = EventDAGUsers.alice,
        additionalCreators: [UserID] = [],
        extraContent: JSONObject = [:],
        roomLocalpart: String = "room"
    ) throws -> PDU {
        if version.roomIDFormat == .serverScoped {
            setRoomID(try RoomID("!\(roomLocalpart):\(creator.serverName.rawValue)"))
        }
        var content = extraContent
        content["room_version"] = .string(version.identifier)
        if !version.authRules.usesCreateEventSenderAsCreator { content["creator"] = .string(creator.rawValue) }
        if !additionalCreators.isEmpty { content["additional_creators"] = .array(additionalCreators.map { .string($0.rawValue) }) }
        return try send(EventType.create, stateKey: "", from: creator, content: .object(content))
    }

    /// Adds an event to `branch`: its `prev_events` are the branch heads, its `auth_events` are selected from the
    /// branch state unless `authEvents` overrides them. The event is hashed and signed by the sender's server.
    /// `redacts` goes at the top level before room v11 and into `content` from v11.
    @discardableResult
    public mutating func send(
        _ type: String,
        stateKey: String? = nil,
        from sender: UserID,
        content: JSONValue = [:],
        redacts: EventID? = nil,
        on branch: String = mainBranch,
        authEvents: [EventID]? = nil,
        originServerTS: Int64? = nil
    ) throws -> PDU {
        var content = content
        if let redacts, version.redactionRules == .v11, case .object = content {
            content["redacts"] = .string(redacts.rawValue)
        }
        guard heads[branch] != nil || order.isEmpty else { throw EventDAGError("No branch '\(branch)'") }
        let prevEvents = heads[branch] ?? []
        let auth = authEvents ?? AuthEventSelection.authEventIDs(
            type: type, sender: sender, stateKey: stateKey, content: content, version: version, state: state(of: branch)
        )
        var json: JSONValue = [
            "type": .string(type), "sender": .string(sender.rawValue), "content": content,
            "origin_server_ts": .integer(originServerTS ?? clock),
            "depth": .integer(1 + (prevEvents.compactMap { events[$0]?.depth }.max() ?? 0)),
            "prev_events": .array(try prevEvents.map(reference)), "auth_events": .array(try auth.map(reference)),
        ]
        clock = max(clock, originServerTS ?? clock) + 1000
        if let stateKey { json["state_key"] = .string(stateKey) }
        if let redacts, version.redactionRules != .v11 { json["redacts"] = .string(redacts.rawValue) }
        let isCreate = type.hasSameBytes(as: EventType.create) && stateKey == ""
        if let roomID, !(isCreate && version.roomIDFormat == .createEventHash) {
            json["room_id"] = .string(roomID.rawValue)
        } else if roomID == nil, version.roomIDFormat == .serverScoped {
            json["room_id"] = .string("!room:\(sender.serverName.rawValue)")
        }
        if version.eventFormat == .v1 {
            json["event_id"] = .string("$\(nextEventNumber()):\(sender.serverName.rawValue)")
        }
        let signed = try EventDAGUsers.signingKey.hashAndSign(event: json, as: sender.serverName.rawValue, version: version)
        let event = try PDU(json: signed, version: version)
        record(event, accepted: authorizer?(event, self) ?? true, on: branch)
        return event
    }

    /// Starts `branch` at `source`'s heads and state.
    public mutating func fork(_ branch: String, from source: String = mainBranch) throws {
        guard let sourceHeads = heads[source] else { throw EventDAGError("No branch '\(source)'") }
        setBranch(branch, heads: sourceHeads, state: state(of: source))
    }

    /// Joins `branches` into `branch`: its heads are all theirs, its state what `resolve` makes of their states.
    public mutating func merge(
        _ branches: [String],
        into branch: String = mainBranch,
        resolve: ([StateMap]) throws -> StateMap
    ) throws {
        var mergedHeads: [EventID] = []
        for source in branches {
            guard let sourceHeads = heads[source] else { throw EventDAGError("No branch '\(source)'") }
            mergedHeads.append(contentsOf: sourceHeads.filter { !mergedHeads.contains($0) })
        }
        setBranch(branch, heads: mergedHeads.sorted(), state: try resolve(branches.map { state(of: $0) }))
    }

    /// How an event cites another: its ID, or in the v1 format an `[id, {"sha256": reference hash}]` pair.
    private func reference(_ id: EventID) throws -> JSONValue {
        guard version.eventFormat == .v1 else { return .string(id.rawValue) }
        guard let event = events[id] else { throw EventDAGError("Unknown event \(id)") }
        let hash = UnpaddedBase64.encode(try EventHashes.referenceHash(of: event.json, version: version))
        return [.string(id.rawValue), ["sha256": .string(hash)]]
    }
}
