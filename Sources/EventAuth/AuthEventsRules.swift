import MatrixTypes

/// Rules 2 and 3 of room v12 (2 of earlier versions): the room ID and the event's `auth_events`.
enum AuthEventsRules {
    static func check(_ event: PDU, using events: some EventProvider) throws(AuthorizationError) -> [StateKey: PDU] {
        var state: [StateKey: PDU] = [:]
        if event.version.roomIDFormat == .createEventHash {
            guard let createID = event.roomID.createEventID, let create = events.event(withID: createID),
                  create.isCreateEvent, !events.isRejected(createID)
            else { throw AuthorizationError("\(event.roomID) does not name an accepted m.room.create event") }
            state[.create] = create
        }
        let expected = AuthEventSelection.stateKeys(for: event)
        var seen: Set<StateKey> = []
        for id in event.authEventIDs {
            guard let authEvent = events.event(withID: id) else { throw AuthorizationError("Auth event \(id) is unknown") }
            guard authEvent.roomID == event.roomID else {
                throw AuthorizationError("Auth event \(id) belongs to \(authEvent.roomID), not \(event.roomID)")
            }
            guard let key = authEvent.stateMapKey, expected.contains(key) else {
                throw AuthorizationError("Auth event \(id) is not one the auth events selection picks")
            }
            guard seen.insert(key).inserted else { throw AuthorizationError("Two auth events fill \(key)") }
            guard !events.isRejected(id) else { throw AuthorizationError("Auth event \(id) was rejected") }
            state[key] = authEvent
        }
        if event.version.authRules.requiresCreateEventInAuthEvents, !seen.contains(.create) {
            throw AuthorizationError("The auth events do not include the m.room.create event")
        }
        return state
    }
}
