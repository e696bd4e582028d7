public import MatrixTypes

/// What `/sync` and the event stream need of presence, held in memory on the main process: syncing marks a user
/// present, and changes since a position (counted from `epoch`, shared with typing) are read back. A process that
/// does not hold presence forwards the one and reads the other from what replication tells it.
public protocol PresenceSource: Sendable {
    var position: Int64 { get }
    /// `/sync?set_presence=`: `offline` leaves the state alone, as in Synapse.
    func syncing(_ user: UserID, presence: String) async throws(PresenceError)
    /// `m.presence` events for `user` and those sharing `rooms` with them whose presence changed in `(after, upTo]`.
    func changes(
        for user: UserID, rooms: Set<RoomID>, after: Int64?, upTo: Int64, epoch tokenEpoch: Int64?
    ) async throws(PresenceError) -> [JSONValue]
}
