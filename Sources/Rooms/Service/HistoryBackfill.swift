public import MatrixTypes

/// Older history held by other servers (implemented over federation above this module): what `/messages` asks for
/// when a member pages back past the oldest events stored here, such as those before this server joined.
public protocol HistoryBackfill: Sendable {
    /// Asks other servers in the room for up to `limit` events before `extremities` (events the stored history refers
    /// to without holding them) and adds them to the room's history. Whether any was added; failures are the other
    /// servers' and leave the history as it was.
    func backfill(_ roomID: RoomID, before extremities: [EventID], limit: Int) async -> Bool
}
