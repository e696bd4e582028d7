public import MatrixTypes

/// How received events and what became of them travel to the event persister owning their room and back.
extension ReceivedEvents {
    public var wireJSON: JSONValue {
        var object: JSONObject = [
            "room_id": .string(roomID.rawValue),
            "room_version": .string(events.first?.version.identifier ?? ""),
            "events": Self.wire(events),
        ]
        switch kind {
        case .timeline: break
        case .join(let joinedState):
            object["joined_state"] = ["events": Self.wire(joinedState.events), "state": StateMap.wire(joinedState.state)]
        case .outOfRoom: object["out_of_room"] = true
        case .history: object["history"] = true
        }
        if !statesBefore.isEmpty {
            object["states_before"] = .array(
                statesBefore.map { id, state in
                    ["event_id": .string(id.rawValue), "events": Self.wire(state.events), "state": StateMap.wire(state.state)]
                }
            )
        }
        return .object(object)
    }

    public init(wire json: JSONValue) throws(RoomError) {
        guard let room = json["room_id"]?.stringValue, let identifier = json["room_version"]?.stringValue,
            let version = RoomVersion(identifier: identifier), let events = json["events"]
        else { throw .badRequest("received events need a room, its version and events") }
        var kind = Kind.timeline
        if let joined = json["joined_state"] {
            kind = .join(try Self.answeredState(joined, version: version))
        } else if json["out_of_room"]?.boolValue == true {
            kind = .outOfRoom
        } else if json["history"]?.boolValue == true {
            kind = .history
        }
        var statesBefore: [EventID: JoinedRoomState] = [:]
        if let states = json["states_before"] {
            guard let items = states.arrayValue else { throw .badRequest("states_before must be a list") }
            for item in items {
                guard let id = item["event_id"]?.stringValue else { throw .badRequest("a state before an event needs the event's ID") }
                statesBefore[try WriteUnit.parse(id, as: { try EventID($0) })] = try Self.answeredState(item, version: version)
            }
        }
        self.init(
            roomID: try WriteUnit.parse(room, as: { try RoomID($0) }), events: try Self.events(events, version: version), kind: kind,
            statesBefore: statesBefore
        )
    }

    private static func answeredState(_ json: JSONValue, version: RoomVersion) throws(RoomError) -> JoinedRoomState {
        guard let stateEvents = json["events"], let state = json["state"] else { throw .badRequest("an answered state needs events and state") }
        return JoinedRoomState(events: try Self.events(stateEvents, version: version), state: try StateMap(wire: state))
    }

    private static func wire(_ events: [PDU]) -> JSONValue {
        .array(events.map { .object(["event_id": .string($0.eventID.rawValue), "event": $0.json]) })
    }

    private static func events(_ json: JSONValue, version: RoomVersion) throws(RoomError) -> [PDU] {
        guard let items = json.arrayValue else { throw .badRequest("events must be a list") }
        return try items.map { item throws(RoomError) in
            guard let id = item["event_id"]?.stringValue, let event = item["event"] else { throw .badRequest("a received event needs its ID") }
            do {
                return try PDU(json: event, eventID: try EventID(id), version: version)
            } catch {
                throw .badRequest("a received event does not decode: \(error)")
            }
        }
    }
}

extension StateMap {
    /// `[[type, state_key, event_id], …]`.
    static func wire(_ state: StateMap) -> JSONValue {
        .array(state.map { key, id in [.string(key.type), .string(key.stateKey), .string(id.rawValue)] })
    }

    init(wire json: JSONValue) throws(RoomError) {
        guard let entries = json.arrayValue else { throw .badRequest("state must be a list") }
        self.init()
        for entry in entries {
            guard let parts = entry.arrayValue, parts.count == 3, let type = parts[0].stringValue, let key = parts[1].stringValue,
                let eventID = parts[2].stringValue
            else { throw .badRequest("a state entry is malformed") }
            self[StateKey(type, key)] = try WriteUnit.parse(eventID, as: { try EventID($0) })
        }
    }
}

extension ReceivedOutcome {
    public static func wireJSON(_ outcomes: [ReceivedOutcome]) -> JSONValue {
        .array(
            outcomes.map { outcome in
                var object: JSONObject = [
                    "event_id": .string(outcome.eventID.rawValue),
                    "state_before": StateMap.wire(outcome.stateBefore),
                ]
                switch outcome.status {
                case .accepted: object["status"] = "accepted"
                case .softFailed: object["status"] = "soft_failed"
                case .rejected(let reason):
                    object["status"] = "rejected"
                    object["reason"] = .string(reason)
                }
                if let ordering = outcome.streamOrdering { object["stream_ordering"] = .integer(ordering) }
                return .object(object)
            }
        )
    }

    public static func fromWire(_ json: JSONValue) throws(RoomError) -> [ReceivedOutcome] {
        guard let items = json.arrayValue else { throw .writerUnavailable("the persister's answer is not a list of outcomes") }
        return try items.map { item throws(RoomError) in
            guard let id = item["event_id"]?.stringValue, let status = item["status"]?.stringValue, let entries = item["state_before"]
            else { throw .writerUnavailable("the persister's outcome is incomplete") }
            let stateBefore = try StateMap(wire: entries)
            let parsedStatus: Status =
                switch status {
                case "accepted": .accepted
                case "soft_failed": .softFailed
                default: .rejected(item["reason"]?.stringValue ?? "")
                }
            return ReceivedOutcome(
                eventID: try WriteUnit.parse(id, as: { try EventID($0) }), status: parsedStatus, streamOrdering: item["stream_ordering"]?.integerValue,
                stateBefore: stateBefore
            )
        }
    }
}
