import MatrixTypes

extension EventGraph {
    /// Applies `ids` in order to `state`, keeping each event whose state rules pass against the state built so far,
    /// with the event's own (non-rejected) auth events standing in for slots the state lacks.
    func applyingIterativeAuthChecks(_ ids: [EventID], to state: StateMap) -> StateMap {
        var resolved = state
        for id in ids {
            guard let event = event(id), let key = event.stateMapKey, !isRejected(id) else { continue }
            var authState: [StateKey: PDU] = [:]
            for authID in event.authEventIDsWithCreate where !isRejected(authID) {
                if let authEvent = self.event(authID), let authKey = authEvent.stateMapKey {
                    authState[authKey] = authEvent
                }
            }
            for authKey in AuthEventSelection.stateKeys(for: event).union([.create]) {
                if let current = resolved[authKey], !isRejected(current), let currentEvent = self.event(current) {
                    authState[authKey] = currentEvent
                }
            }
            if (try? EventAuthorizer.check(event, against: authState)) != nil {
                resolved[key] = id
            }
        }
        return resolved
    }
}
