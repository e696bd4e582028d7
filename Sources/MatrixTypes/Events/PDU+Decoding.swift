extension PDU {
    /// Decodes and checks an event of `version` whose ID is `eventID`.
    ///
    /// For rooms v1–v2 `eventID` must equal the event's `event_id`; later versions derive it from the reference hash,
    /// which `MatrixCrypto` computes. Never traps, whatever the input.
    public init(json: JSONValue, eventID: EventID, version: RoomVersion) throws(PDUDecodingError) {
        guard case .object(let members) = json else { throw .notAnObject }
        let fields = PDUFields(members: members, version: version)

        let type = try fields.string("type")
        try Self.checkKeyLength(type, field: "type")
        let stateKey = try fields.optionalString("state_key")
        if let stateKey { try Self.checkKeyLength(stateKey, field: "state_key") }
        let isCreate = type.hasSameBytes(as: EventType.create) && stateKey.map { $0.isEmpty } == true

        guard eventID.isValid(for: version.eventIDFormat) else {
            throw .invalidField("event_id", reason: "'\(eventID)' does not have room version \(version)'s format")
        }
        if version.eventFormat == .v1 {
            let bodyID = try fields.string("event_id")
            guard bodyID.hasSameBytes(as: eventID.rawValue) else {
                throw .invalidField("event_id", reason: "'\(bodyID)' is not '\(eventID)'")
            }
        }

        self.json = json
        self.version = version
        self.eventID = eventID
        self.type = type
        self.stateKey = stateKey
        sender = try fields.identifier("sender", as: UserID.self)
        content = try fields.object("content")
        roomID = try Self.roomID(of: fields, eventID: eventID, isCreate: isCreate)
        prevEventIDs = try fields.eventReferences("prev_events")
        authEventIDs = try fields.eventReferences("auth_events")
        depth = try fields.integer("depth")
        guard depth >= 0 else { throw .invalidField("depth", reason: "negative") }
        originServerTS = try fields.integer("origin_server_ts")
        try fields.checkHashes()
        try fields.checkSignatures()
        let redactsValue = version.redactionRules == .v11 ? content["redacts"] : members["redacts"]
        redacts = redactsValue?.stringValue.flatMap { try? EventID($0) }
        try Self.checkJSONLimits(of: json, version: version)
    }

    /// The limits Synapse applies to every event it builds: nesting depth, strict canonical numbers from room
    /// v6 on, and the size of the encoding. Encoding is the costly part, so the exact size is only computed when a
    /// cheap bound does not already prove the event small enough.
    private static func checkJSONLimits(of json: JSONValue, version: RoomVersion) throws(PDUDecodingError) {
        guard json.nestingDepth(stoppingAfter: maximumNestingDepth) <= maximumNestingDepth else {
            throw .invalidJSON(JSONParseError("JSON nested deeper than \(maximumNestingDepth) levels", offset: 0))
        }
        if version.requiresCanonicalJSON, let number = json.firstNonCanonicalNumber() {
            throw .notCanonical(JSONEncodingError("Number \(number) is not allowed in room version \(version)"))
        }
        if json.encodedByteCountBound() <= maximumByteCount { return }
        let byteCount: Int
        do {
            byteCount = try json.canonicalEncoded(for: version).count
        } catch {
            throw .notCanonical(error)
        }
        guard byteCount <= maximumByteCount else { throw .tooLarge(byteCount: byteCount) }
    }

    private static func checkKeyLength(_ value: String, field: String) throws(PDUDecodingError) {
        guard value.utf8.count <= maximumKeyByteCount else {
            throw .invalidField(field, reason: "longer than \(maximumKeyByteCount) bytes")
        }
    }

    /// A v12 create event has no `room_id`: the room is named after the event. Every other event names a room
    /// of its version's format.
    private static func roomID(
        of fields: PDUFields,
        eventID: EventID,
        isCreate: Bool
    ) throws(PDUDecodingError) -> RoomID {
        let format = fields.version.roomIDFormat
        if format == .createEventHash, isCreate {
            do {
                return try RoomID(createEventID: eventID)
            } catch {
                throw .invalidField("event_id", reason: error.message)
            }
        }
        let roomID = try fields.identifier("room_id", as: RoomID.self)
        guard roomID.isValid(for: format) else {
            throw .invalidField("room_id", reason: "'\(roomID)' does not have room version \(fields.version)'s format")
        }
        return roomID
    }
}
