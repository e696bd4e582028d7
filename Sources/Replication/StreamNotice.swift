public import MatrixTypes

/// The streams whose positions a sync token carries.
public enum StreamName: String, Sendable, CaseIterable {
    case events
    case receipts
    case accountData = "account_data"
    case typing
    case presence
}

/// "Stream `stream` advanced to `position`": what a writer announces after a commit so readers wake.
///
/// `roomID` and `users` say whom it concerns: a room's members, and users outside it it affects (an invitee,
/// the owner of account data).
public struct StreamNotice: Sendable {
    public var stream: StreamName
    public var position: Int64
    public var roomID: RoomID?
    public var users: [UserID]

    public init(stream: StreamName, position: Int64, roomID: RoomID? = nil, users: [UserID] = []) {
        self.stream = stream
        self.position = position
        self.roomID = roomID
        self.users = users
    }
}

/// Carries stream notices between writers and readers: an in-process call in the monolith, Redis between workers.
public protocol ReplicationBus: Sendable {
    func publish(_ notice: StreamNotice)
    /// Calls `handler` for every notice published after this call, in publication order.
    func subscribe(_ handler: @escaping @Sendable (StreamNotice) -> Void)
}
