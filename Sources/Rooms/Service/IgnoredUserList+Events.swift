public import AccountData
public import MatrixTypes
public import RoomStore

extension IgnoredUserList {
    /// Whether `event` is hidden from someone ignoring `users`: Synapse leaves out ignored users' non-state events
    /// from everything a client reads, and keeps their state events, which change the room for everyone.
    public static func hides(_ event: RoomEvent, ignoring users: Set<JSONKey>) -> Bool {
        event.stateKey == nil && users.contains(JSONKey(event.sender.rawValue))
    }
}
