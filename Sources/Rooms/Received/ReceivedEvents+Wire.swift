public import MatrixTypes

/// How received events and what became of them travel to the event persister owning their room and back.
extension ReceivedEvents {
    public var wireJSON: JSONValue {
        .object([
            "room_id": .string(roomID.rawValue),
            "room_version": .string(events.first?.version.identifier ?? ""),
            "events": .array(events.map { .object(["event_id": .string($0.eventID.rawValue), "event": $0.json]) }),
        ])
    }

    public init(wire json: JSONValue) throws(RoomError) {
        guard let room = json["room_id"]?.stringValue, let identifier = json["room_version"]?.stringValue,
            let version = RoomVersion(identifier: identifier), let events = json["events"]?.arrayValue
        else { throw .badRequest("received events need a room, its version and events") }
        let roomID = try WriteUnit.parse(room, as: { try RoomID($0) })
        self.init(
            roomID: roomID,
            events: try events.map { item throws(RoomError) in
                guard let id = item["event_id"]?.stringValue, let event = item["event"] else { throw .badRequest("a received event needs its ID") }
                do {
                    return try PDU(json: event, eventID: try EventID(id), version: version)
                } catch {
                    throw .badRequest("a received event does not decode: \(error)")
                }
            }
        )
    }
}

extension ReceivedOutcome {
    public static func wireJSON(_ outcomes: [ReceivedOutcome]) -> JSONValue {
        .array(
            outcomes.map { outcome in
                var object: JSONObject = [
                    "event_id": .string(outcome.eventID.rawValue),
                    "state_before": .array(
                        outcome.stateBefore.map { key, id in [.string(key.type), .string(key.stateKey), .string(id.rawValue)] }
                    ),
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
            guard let id = item["event_id"]?.stringValue, let status = item["status"]?.stringValue, let entries = item["state_before"]?.arrayValue
            else { throw .writerUnavailable("the persister's outcome is incomplete") }
            var stateBefore: StateMap = [:]
            for entry in entries {
                guard let parts = entry.arrayValue, parts.count == 3, let type = parts[0].stringValue, let key = parts[1].stringValue,
                    let eventID = parts[2].stringValue
                else { throw .writerUnavailable("the persister's state entry is malformed") }
                stateBefore[StateKey(type, key)] = try WriteUnit.parse(eventID, as: { try EventID($0) })
            }
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
