public import MatrixTypes
import RoomStore
import Storage

/// How write units, their answers and their refusals travel to an event persister and back (its internal
/// `replication` endpoint): JSON that carries every field exactly, so the persister builds what this process would.
extension WriteUnit {
    public var wireJSON: JSONValue {
        var object: JSONObject = ["intents": .array(intents.map(\.wireJSON))]
        switch target {
        case .existing(let roomID): object["room_id"] = .string(roomID.rawValue)
        case .new(let version): object["new_room_version"] = .string(version.identifier)
        }
        return .object(object)
    }

    public init(wire json: JSONValue) throws(RoomError) {
        guard let object = json.objectValue, let intents = object["intents"]?.arrayValue, !intents.isEmpty else {
            throw .badRequest("a write unit needs intents")
        }
        let target: Target
        if let room = object["room_id"]?.stringValue {
            target = .existing(try Self.parse(room, as: { try RoomID($0) }))
        } else if let identifier = object["new_room_version"]?.stringValue, let version = RoomVersion(identifier: identifier) {
            target = .new(version)
        } else {
            throw .badRequest("a write unit names its room or a new room's version")
        }
        self.init(target: target, intents: try intents.map { value throws(RoomError) in try EventIntent(wire: value) })
    }

    static func parse<T>(_ text: String, as make: (String) throws -> T) throws(RoomError) -> T {
        do {
            return try make(text)
        } catch {
            throw .badRequest("invalid identifier in a write unit: \(text)")
        }
    }
}

extension EventIntent {
    var wireJSON: JSONValue {
        var object: JSONObject = ["sender": .string(sender.rawValue), "type": .string(type), "content": content]
        if let stateKey { object["state_key"] = .string(stateKey) }
        if let redacts { object["redacts"] = .string(redacts.rawValue) }
        if keepsIdenticalState { object["keeps_identical_state"] = .bool(true) }
        if byGuest { object["by_guest"] = .bool(true) }
        if let transaction {
            object["transaction"] = .object([
                "user_id": .string(transaction.userID.rawValue), "device_id": .string(transaction.deviceID),
                "scope": .string(transaction.scope), "txn_id": .string(transaction.txnID),
            ])
        }
        return .object(object)
    }

    init(wire json: JSONValue) throws(RoomError) {
        guard let object = json.objectValue, let sender = object["sender"]?.stringValue, let type = object["type"]?.stringValue,
            let content = object["content"]
        else { throw .badRequest("an intent needs a sender, a type and content") }
        var transaction: ClientTransaction?
        if let txn = object["transaction"]?.objectValue {
            guard let user = txn["user_id"]?.stringValue, let device = txn["device_id"]?.stringValue, let scope = txn["scope"]?.stringValue,
                let id = txn["txn_id"]?.stringValue
            else { throw .badRequest("an intent's transaction is incomplete") }
            transaction = ClientTransaction(userID: try WriteUnit.parse(user, as: { try UserID($0) }), deviceID: device, scope: scope, txnID: id)
        }
        self.init(
            sender: try WriteUnit.parse(sender, as: { try UserID($0) }), type: type, stateKey: object["state_key"]?.stringValue, content: content,
            transaction: transaction, redacts: try object["redacts"]?.stringValue.map { text throws(RoomError) in try WriteUnit.parse(text, as: { try EventID($0) }) },
            keepsIdenticalState: object["keeps_identical_state"]?.boolValue ?? false, byGuest: object["by_guest"]?.boolValue ?? false
        )
    }
}

extension WrittenEvent {
    public static func wireJSON(_ events: [WrittenEvent]) -> JSONValue {
        .object([
            "events": .array(events.map { event in
                .object([
                    "event_id": .string(event.eventID.rawValue), "room_id": .string(event.roomID.rawValue),
                    "stream_ordering": .integer(event.streamOrdering),
                ])
            })
        ])
    }

    public static func fromWire(_ json: JSONValue) throws(RoomError) -> [WrittenEvent] {
        guard let events = json.objectValue?["events"]?.arrayValue else { throw .invalidEvent("an event writer's answer lists no events") }
        return try events.map { value throws(RoomError) in
            guard let object = value.objectValue, let eventID = object["event_id"]?.stringValue, let roomID = object["room_id"]?.stringValue,
                let ordering = object["stream_ordering"]?.integerValue
            else { throw .invalidEvent("an event writer's answer is incomplete") }
            return WrittenEvent(
                eventID: try WriteUnit.parse(eventID, as: { try EventID($0) }), roomID: try WriteUnit.parse(roomID, as: { try RoomID($0) }),
                streamOrdering: ordering
            )
        }
    }
}

extension RoomError {
    /// The refusal as the persister reports it, so the process that took the request answers as if it wrote the event.
    public var wireJSON: JSONValue {
        let (kind, detail): (String, JSONValue) =
            switch self {
            case .forbidden(let message): ("forbidden", .string(message))
            case .roomNotFound: ("room_not_found", .null)
            case .eventNotFound: ("event_not_found", .null)
            case .aliasNotFound: ("alias_not_found", .null)
            case .aliasInUse: ("alias_in_use", .null)
            case .badAlias(let alias): ("bad_alias", .string(alias))
            case .unsupportedRoomVersion(let version): ("unsupported_room_version", .string(version))
            case .badRequest(let message): ("bad_request", .string(message))
            case .invalidRoomState(let message): ("invalid_room_state", .string(message))
            case .invalidEvent(let message): ("invalid_event", .string(message))
            case .eventTooLarge: ("event_too_large", .null)
            case .rateLimited(let retry): ("rate_limited", .integer(Int64(retry)))
            case .storage(let error): ("storage", .string("\(error)"))
            case .badState(let message): ("bad_state", .string(message))
            case .roomIDUnavailable: ("room_id_unavailable", .null)
            case .cancelled: ("cancelled", .null)
            case .writerUnavailable(let message): ("writer_unavailable", .string(message))
            case .missingEvents(let ids): ("missing_events", .array(ids.map { .string($0.rawValue) }))
            case .remoteUnavailable(let reason): ("remote_unavailable", .string(reason))
            case .cannotAuthoriseJoin(let reason): ("cannot_authorise_join", .string(reason))
            case .cannotGrantJoin(let reason): ("cannot_grant_join", .string(reason))
            }
        return .object(["room_error": .string(kind), "detail": detail])
    }

    /// The refusal a persister reported, or `nil` when `json` is not one.
    public init?(wire json: JSONValue) {
        guard let object = json.objectValue, let kind = object["room_error"]?.stringValue else { return nil }
        let text = object["detail"]?.stringValue ?? ""
        switch kind {
        case "forbidden": self = .forbidden(text)
        case "room_not_found": self = .roomNotFound
        case "event_not_found": self = .eventNotFound
        case "alias_not_found": self = .aliasNotFound
        case "alias_in_use": self = .aliasInUse
        case "bad_alias": self = .badAlias(text)
        case "unsupported_room_version": self = .unsupportedRoomVersion(text)
        case "bad_request": self = .badRequest(text)
        case "invalid_room_state": self = .invalidRoomState(text)
        case "invalid_event": self = .invalidEvent(text)
        case "event_too_large": self = .eventTooLarge
        case "rate_limited": self = .rateLimited(retryAfterMilliseconds: Int(object["detail"]?.integerValue ?? 1_000))
        case "storage": self = .storage(.storage(.queryFailed(message: "at the event writer: \(text)")))
        case "bad_state": self = .badState(text)
        case "room_id_unavailable": self = .roomIDUnavailable
        case "cancelled": self = .cancelled
        case "writer_unavailable": self = .writerUnavailable(text)
        case "remote_unavailable": self = .remoteUnavailable(text)
        case "cannot_authorise_join": self = .cannotAuthoriseJoin(text)
        case "cannot_grant_join": self = .cannotGrantJoin(text)
        case "missing_events":
            self = .missingEvents((object["detail"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { try? EventID($0) } })
        default: return nil
        }
    }
}
