import MatrixTypes

/// Where the authorisation rules and state resolution look events up: a store, a cache, or a dictionary in tests.
public protocol EventProvider {
    /// The event with this ID, or `nil` when it is unknown.
    func event(withID id: EventID) -> PDU?
    /// Whether the event was rejected when it was received; rejected events never authorise others.
    func isRejected(_ id: EventID) -> Bool
}

/// An ``EventProvider`` over events held in memory.
public struct EventDictionary: EventProvider, Sendable {
    public private(set) var events: [EventID: PDU]
    public private(set) var rejected: Set<EventID>

    public init(_ events: some Sequence<PDU> = [], rejected: Set<EventID> = []) {
        self.events = Dictionary(events.map { ($0.eventID, $0) }, uniquingKeysWith: { first, _ in first })
        self.rejected = rejected
    }

    public mutating func insert(_ event: PDU, rejected isRejected: Bool = false) {
        events[event.eventID] = event
        if isRejected { rejected.insert(event.eventID) } else { rejected.remove(event.eventID) }
    }

    public func event(withID id: EventID) -> PDU? { events[id] }

    public func isRejected(_ id: EventID) -> Bool { rejected.contains(id) }
}
