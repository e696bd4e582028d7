import MatrixTypes
import RoomStore

/// Builds unsigned events for one room: the store never parses or verifies the JSON it keeps.
struct RoomFixture {
    let roomID: RoomID
    let creator: UserID

    init(_ name: String = "room") throws {
        roomID = try RoomID("!\(name):test")
        creator = try UserID("@creator:test")
    }

    func id(_ name: String) throws -> EventID {
        try EventID("$\(name):test")
    }

    func user(_ name: String) throws -> UserID {
        try UserID("@\(name):test")
    }

    /// An event whose JSON is the given text, byte for byte.
    func event(
        _ name: String, type: String = "m.room.message", stateKey: String? = nil, sender: UserID? = nil, depth: Int64,
        prev: [String], stateAfter: StateAfter?, json: String? = nil, membership: String? = nil,
        outlier: Bool = false, rejectedReason: String? = nil, softFailed: Bool = false, transaction: ClientTransaction? = nil
    ) throws -> NewEvent {
        NewEvent(
            eventID: try id(name), roomID: roomID, type: type, stateKey: stateKey, sender: sender ?? creator, depth: depth,
            json: Array((json ?? #"{"event_id":"$\#(name):test","type":"\#(type)"}"#).utf8), outlier: outlier,
            rejectedReason: rejectedReason, softFailed: softFailed, prevEvents: try prev.map(id), stateAfter: stateAfter,
            transaction: transaction, membership: membership
        )
    }

    /// A state event whose state after is its prev event's state plus itself.
    func stateEvent(
        _ name: String, type: String, stateKey: String = "", sender: UserID? = nil, depth: Int64, prev: String?,
        membership: String? = nil
    ) throws -> NewEvent {
        let changes = [StateKey(type, stateKey): try id(name)]
        return try event(
            name, type: type, stateKey: stateKey, sender: sender, depth: depth, prev: prev.map { [$0] } ?? [],
            stateAfter: .changed(base: try prev.map(id), changes: changes), membership: membership
        )
    }

    /// A message whose state after is its prev event's.
    func message(_ name: String, depth: Int64, prev: String, transaction: ClientTransaction? = nil) throws -> NewEvent {
        try event(name, depth: depth, prev: [prev], stateAfter: .sameAs(try id(prev)), transaction: transaction)
    }
}
