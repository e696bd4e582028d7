import EventAuth
import MatrixCrypto
import MatrixTypes

/// A room of a Synapse fixture: its events (canonical JSON, in creation order), the IDs Synapse gave them, and
/// which ones Synapse rejected.
struct SynapseFixtureRoom {
    let version: RoomVersion
    let eventJSON: [String]
    let eventIDs: [String]
    let rejected: Set<String>

    init?(_ entry: JSONValue) {
        guard let version = entry["room_version"]?.stringValue.flatMap(RoomVersion.init(identifier:)),
              let events = entry["events"]?.arrayValue?.compactMap(\.stringValue),
              let ids = entry["event_ids"]?.arrayValue?.compactMap(\.stringValue),
              let rejected = entry["rejected"]?.arrayValue?.compactMap(\.stringValue)
        else { return nil }
        self.version = version
        eventJSON = events
        eventIDs = ids
        self.rejected = Set(rejected)
    }

    /// The events decoded as PDUs, with the IDs Axon derives for them.
    func decodedEvents() throws -> [PDU] {
        try eventJSON.map { try PDU(bytes: Array($0.utf8), version: version) }
    }

    func provider() throws -> EventDictionary {
        let events = try decodedEvents()
        return EventDictionary(events, rejected: Set(events.map(\.eventID).filter { rejected.contains($0.rawValue) }))
    }

    /// Parses the JSON held by a generated fixture file.
    static func parse(_ json: String) -> JSONValue {
        (try? JSONValue.parse(json)) ?? .null
    }
}
