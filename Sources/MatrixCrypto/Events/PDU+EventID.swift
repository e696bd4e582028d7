import MatrixTypes

extension PDU {
    /// Decodes an event of `version`, deriving its ID (read from `event_id` in rooms v1–v2, the reference hash after).
    public init(json: JSONValue, version: RoomVersion) throws(PDUDecodingError) {
        let eventID: EventID
        do {
            eventID = try EventHashes.eventID(of: json, version: version)
        } catch {
            switch error {
            case .notAnObject: throw .notAnObject
            case .notCanonical(let encodingError): throw .notCanonical(encodingError)
            case .invalidEventID(let reason): throw .invalidField("event_id", reason: reason)
            case .malformedHashes: throw .invalidField("hashes", reason: "not an object")
            case .malformedSignatures: throw .invalidField("signatures", reason: "not an object of objects")
            }
        }
        try self.init(json: json, eventID: eventID, version: version)
    }

    /// Parses and decodes an event received as bytes, with the JSON limits of its room version.
    public init(bytes: some Collection<UInt8>, version: RoomVersion) throws(PDUDecodingError) {
        let json: JSONValue
        do {
            json = try JSONValue.parse(bytes, options: version.eventParseOptions)
        } catch {
            throw .invalidJSON(error)
        }
        try self.init(json: json, version: version)
    }
}
