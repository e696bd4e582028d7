import MatrixTypes

/// The sort key of the reverse topological power ordering: higher sender power first, then earlier
/// `origin_server_ts`, then smaller event ID (by code point).
struct PowerOrderKey: Comparable {
    let senderLevel: Int64
    let originServerTS: Int64
    let eventID: EventID

    static func < (lhs: PowerOrderKey, rhs: PowerOrderKey) -> Bool {
        if lhs.senderLevel != rhs.senderLevel { return lhs.senderLevel > rhs.senderLevel }
        if lhs.originServerTS != rhs.originServerTS { return lhs.originServerTS < rhs.originServerTS }
        return lhs.eventID < rhs.eventID
    }
}

extension EventGraph {
    /// `events` and their auth ancestors within `scope`, sorted by Kahn's algorithm so that auth events come before
    /// the events they authorise, always taking the smallest ``PowerOrderKey`` among the candidates.
    func reverseTopologicalPowerOrder(of events: Set<EventID>, within scope: Set<EventID>) -> [EventID] {
        var dependencies: [EventID: Set<EventID>] = [:]
        var pending = Array(events)
        while let id = pending.popLast() {
            guard dependencies[id] == nil else { continue }
            let auth = Set(authEventIDs(of: id).filter(scope.contains))
            dependencies[id] = auth
            pending.append(contentsOf: auth.filter { dependencies[$0] == nil })
        }
        var dependents: [EventID: [EventID]] = [:]
        var heap = MinHeap<PowerOrderKey>()
        for (id, auth) in dependencies {
            for authID in auth { dependents[authID, default: []].append(id) }
            if auth.isEmpty { heap.insert(key(id)) }
        }
        var remaining = dependencies.mapValues(\.count)
        var order: [EventID] = []
        while let next = heap.popMin() {
            order.append(next.eventID)
            for dependent in dependents[next.eventID] ?? [] {
                remaining[dependent, default: 0] -= 1
                if remaining[dependent] == 0 { heap.insert(key(dependent)) }
            }
        }
        return order
    }

    private func key(_ id: EventID) -> PowerOrderKey {
        PowerOrderKey(senderLevel: senderPowerLevel(of: id), originServerTS: event(id)?.originServerTS ?? 0, eventID: id)
    }
}
