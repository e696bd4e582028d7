public import MatrixTypes

/// How a process that does not write presence hands a syncing user's presence to the process that does. Presence
/// is advisory: a report that cannot be delivered is logged by the implementation and never fails the request that
/// synced.
public protocol PresenceForwarding: Sendable {
    func syncing(_ user: UserID, presence: String) async
}
