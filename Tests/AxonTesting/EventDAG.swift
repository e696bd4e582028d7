import MatrixCrypto
import MatrixTypes

/// A room's event DAG built by hand in tests: every event hashed and signed with a fixed key, grown on named
/// branches that fork from one another and merge again, for any room version.
///
/// Each branch tracks its head events and the state after them. An optional ``authorizer`` decides whether a new
/// event is accepted; a refused event stays in the DAG, marked rejected, and leaves the branch state alone.
public struct EventDAG: Sendable {
    public typealias Authorizer = @Sendable (PDU, EventDAG) -> Bool

    public static let mainBranch = "main"

    public let version: RoomVersion
    public private(set) var roomID: RoomID?
    /// Every event, by ID.
    public private(set) var events: [EventID: PDU] = [:]
    /// Event IDs in the order they were added.
    public private(set) var order: [EventID] = []
    public private(set) var rejected: Set<EventID> = []
    /// For each branch, the events a new event on it points at.
    public private(set) var heads: [String: [EventID]] = [:]
    /// For each branch, the state after its heads.
    public private(set) var states: [String: StateMap] = [:]
    public var authorizer: Authorizer?
    /// The next `origin_server_ts`; each event advances it by one second unless told otherwise.
    public var clock: Int64 = 1_700_000_000_000
    private var eventCounter = 0

    public init(version: RoomVersion, authorizer: Authorizer? = nil) {
        self.version = version
        self.authorizer = authorizer
    }

    public func event(withID id: EventID) -> PDU? { events[id] }

    public func isRejected(_ id: EventID) -> Bool { rejected.contains(id) }

    public func state(of branch: String = mainBranch) -> StateMap { states[branch] ?? [:] }

    /// The event filling `key` in `branch`'s state.
    public func stateEvent(_ key: StateKey, on branch: String = mainBranch) -> PDU? {
        state(of: branch)[key].flatMap { events[$0] }
    }

    /// Every event in the order added.
    public var orderedEvents: [PDU] { order.compactMap { events[$0] } }

    mutating func nextEventNumber() -> Int {
        eventCounter += 1
        return eventCounter
    }

    mutating func record(_ event: PDU, accepted: Bool, on branch: String) {
        events[event.eventID] = event
        order.append(event.eventID)
        heads[branch] = [event.eventID]
        if !accepted {
            rejected.insert(event.eventID)
        } else if let key = event.stateMapKey {
            states[branch, default: [:]][key] = event.eventID
        }
        if roomID == nil { roomID = event.roomID }
    }

    mutating func setRoomID(_ roomID: RoomID) {
        self.roomID = roomID
    }

    mutating func setBranch(_ branch: String, heads: [EventID], state: StateMap) {
        self.heads[branch] = heads
        states[branch] = state
    }
}
