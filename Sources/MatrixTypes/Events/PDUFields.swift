/// Typed access to an event's top-level members, throwing the decoding error that names the offending field.
struct PDUFields {
    let members: JSONObject
    let version: RoomVersion

    init(members: JSONObject, version: RoomVersion) {
        self.members = members
        self.version = version
    }

    private func value(_ name: String) throws(PDUDecodingError) -> JSONValue {
        guard let value = members[name] else { throw .missingField(name) }
        return value
    }

    func string(_ name: String) throws(PDUDecodingError) -> String {
        guard let string = try value(name).stringValue else { throw .invalidField(name, reason: "not a string") }
        return string
    }

    func optionalString(_ name: String) throws(PDUDecodingError) -> String? {
        guard members[name] != nil else { return nil }
        return try string(name)
    }

    func integer(_ name: String) throws(PDUDecodingError) -> Int64 {
        guard let integer = try value(name).integerValue else { throw .invalidField(name, reason: "not an integer") }
        return integer
    }

    func object(_ name: String) throws(PDUDecodingError) -> JSONValue {
        let object = try value(name)
        guard case .object = object else { throw .invalidField(name, reason: "not an object") }
        return object
    }

    func identifier<ID: MatrixIdentifier>(_ name: String, as _: ID.Type) throws(PDUDecodingError) -> ID {
        let text = try string(name)
        do {
            return try ID(text)
        } catch {
            throw .invalidField(name, reason: error.message)
        }
    }

    /// `prev_events` or `auth_events`: `[event_id, hashes]` pairs in the v1 format, plain IDs from v3,
    /// each in the room version's event ID format.
    func eventReferences(_ name: String) throws(PDUDecodingError) -> [EventID] {
        guard let entries = try value(name).arrayValue else { throw .invalidField(name, reason: "not an array") }
        var ids: [EventID] = []
        ids.reserveCapacity(entries.count)
        for entry in entries {
            let text: String?
            switch version.eventFormat {
            case .v1:
                guard let pair = entry.arrayValue, pair.count == 2 else {
                    throw .invalidField(name, reason: "entries must be [event_id, hashes] pairs")
                }
                text = pair[0].stringValue
            case .v3:
                text = entry.stringValue
            }
            guard let text, let id = try? EventID(text), id.isValid(for: version.eventIDFormat) else {
                throw .invalidField(name, reason: "entries must be event IDs of room version \(version)'s format")
            }
            ids.append(id)
        }
        return ids
    }

    /// `hashes` must carry the SHA-256 content hash as a string.
    func checkHashes() throws(PDUDecodingError) {
        guard try object("hashes")["sha256"]?.stringValue != nil else {
            throw .invalidField("hashes", reason: "no 'sha256' string")
        }
    }

    /// `signatures` maps server names to objects of key ID → signature string.
    func checkSignatures() throws(PDUDecodingError) {
        guard let servers = try object("signatures").objectValue else { return }
        for (server, keys) in servers {
            guard let keys = keys.objectValue, keys.values.allSatisfy({ $0.stringValue != nil }) else {
                throw .invalidField("signatures", reason: "'\(server)' is not an object of strings")
            }
        }
    }
}
