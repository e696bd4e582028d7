import MatrixTypes

/// Rule 1: what a room's first event must look like.
enum CreateEventRules {
    /// Versions Synapse 1.163 recognises besides the ones Axon supports (experimental ones). A create event naming
    /// one passes Synapse's rule 1.3, so it must pass here too, or the servers disagree on the room's first event.
    static let synapseOnlyVersions = ["org.matrix.msc3757.10", "org.matrix.msc3757.11", "org.matrix.hydra.11"]

    static func check(_ event: PDU) throws(AuthorizationError) {
        let rules = event.version.authRules
        guard event.prevEventIDs.isEmpty else { throw AuthorizationError("The create event has prev_events") }
        if event.version.roomIDFormat == .createEventHash {
            guard event.json["room_id"] == nil else {
                throw AuthorizationError("The create event of a room v\(event.version) has a room_id")
            }
        } else if event.roomID.serverName != event.sender.serverName {
            throw AuthorizationError("The create event's room_id is not on its sender's server")
        }
        if let version = event.content["room_version"] {
            guard let identifier = version.stringValue,
                  RoomVersion(identifier: identifier) != nil || synapseOnlyVersions.contains(where: identifier.hasSameBytes)
            else {
                throw AuthorizationError("The create event names an unknown room version \(version)")
            }
        }
        if !rules.usesCreateEventSenderAsCreator, event.content["creator"] == nil {
            throw AuthorizationError("The create event has no creator")
        }
        if rules.givesCreatorsInfinitePower, let additional = event.content["additional_creators"] {
            guard let entries = additional.arrayValue,
                  entries.allSatisfy({ $0.stringValue.map { (try? UserID($0)) != nil } == true })
            else { throw AuthorizationError("additional_creators must be an array of user IDs") }
        }
    }
}
