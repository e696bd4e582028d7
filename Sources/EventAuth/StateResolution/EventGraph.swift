import MatrixTypes

/// The auth graph as state resolution walks it: events fetched once from the provider, with auth edges that include
/// the create event a v12 room ID implies.
final class EventGraph<Events: EventProvider> {
    private let events: Events
    private var cache: [EventID: PDU?] = [:]
    private var rejected: [EventID: Bool] = [:]

    init(_ events: Events) {
        self.events = events
    }

    func event(_ id: EventID) -> PDU? {
        if let cached = cache[id] { return cached }
        let event = events.event(withID: id)
        cache[id] = event
        return event
    }

    func isRejected(_ id: EventID) -> Bool {
        if let cached = rejected[id] { return cached }
        let isRejected = events.isRejected(id)
        rejected[id] = isRejected
        return isRejected
    }

    func authEventIDs(of id: EventID) -> [EventID] {
        event(id)?.authEventIDsWithCreate ?? []
    }

    /// `ids` and every event reachable from them through auth edges (unknown events included, not walked through).
    func authClosure(of ids: some Sequence<EventID>) -> Set<EventID> {
        var seen = Set(ids)
        var pending = Array(seen)
        while let id = pending.popLast() {
            for authID in authEventIDs(of: id) where seen.insert(authID).inserted {
                pending.append(authID)
            }
        }
        return seen
    }

    /// The first `m.room.power_levels` event among an event's auth events.
    func powerLevelsAuthEvent(of id: EventID) -> EventID? {
        authEventIDs(of: id).first { event($0)?.stateMapKey == .powerLevels }
    }

    /// The power level of an event's sender according to the event's own auth events.
    func senderPowerLevel(of id: EventID) -> Int64 {
        guard let event = event(id) else { return 0 }
        var create: PDU?
        var powerLevels: PDU?
        for authID in event.authEventIDsWithCreate {
            guard let authEvent = self.event(authID) else { continue }
            switch authEvent.stateMapKey {
            case .create?: create = authEvent
            case .powerLevels?: powerLevels = authEvent
            default: break
            }
        }
        return RoomPowerLevels(create: create, powerLevels: powerLevels, version: event.version)
            .userLevel(event.sender.rawValue)
    }
}
