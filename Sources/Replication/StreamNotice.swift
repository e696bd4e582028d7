public import MatrixTypes

/// The streams whose positions a sync token carries.
public enum StreamName: String, Sendable, CaseIterable {
    case events
    case receipts
    case accountData = "account_data"
    case typing
    case presence
    case toDevice = "to_device"
    case deviceLists = "device_lists"

    /// Streams whose rows live in the database, so a reader that missed notices reads them again by position.
    /// Typing and presence live in their writer's memory; their notices carry the whole row instead.
    public var isDurable: Bool {
        switch self {
        case .events, .receipts, .accountData, .toDevice, .deviceLists: true
        case .typing, .presence: false
        }
    }
}

/// "Stream `stream` advanced to `position`": what a writer announces after a commit so readers wake.
///
/// `roomID` and `users` say whom it concerns: a room's members, and users outside it it affects (an invitee,
/// the owner of account data). `row` carries what a reader in another process needs to hold a copy of an in-memory
/// stream.
public struct StreamNotice: Sendable, Equatable {
    public var stream: StreamName
    public var position: Int64
    public var roomID: RoomID?
    public var users: [UserID]
    public var row: StreamRow?

    public init(stream: StreamName, position: Int64, roomID: RoomID? = nil, users: [UserID] = [], row: StreamRow? = nil) {
        self.stream = stream
        self.position = position
        self.roomID = roomID
        self.users = users
        self.row = row
    }
}

/// The state an in-memory stream changed to, so followers in other processes can answer from their own copy.
public enum StreamRow: Sendable, Equatable {
    /// Everyone typing in the notice's room now; `epoch` is the typing writer's start.
    case typing(epoch: Int64, users: [UserID])
    /// One user's presence now (the notice's only user); `epoch` is the presence writer's start.
    case presence(epoch: Int64, state: PresenceRow)
}

/// A user's presence as its writer holds it.
public struct PresenceRow: Sendable, Equatable {
    public var presence: String
    public var statusMessage: String?
    /// When the user was last online (ms since the epoch); 0 when never.
    public var lastActive: Int64

    public init(presence: String, statusMessage: String?, lastActive: Int64) {
        self.presence = presence
        self.statusMessage = statusMessage
        self.lastActive = lastActive
    }

    /// How recently an online user must have been active to count as `currently_active` (Synapse's granularity).
    public static let currentlyActiveWindow: Int64 = 60_000

    /// The presence as clients and other servers read it, in Synapse's format: `last_active_ago` only once the user
    /// was online, `status_msg` when set, `currently_active` only while online.
    public func content(now: Int64) -> JSONObject {
        var content: JSONObject = ["presence": .string(presence)]
        if lastActive > 0 { content["last_active_ago"] = .integer(max(now - lastActive, 0)) }
        if let statusMessage, !statusMessage.isEmpty { content["status_msg"] = .string(statusMessage) }
        if presence == "online" { content["currently_active"] = .bool(now - lastActive < Self.currentlyActiveWindow) }
        return content
    }
}

/// Carries stream notices between writers and readers: an in-process call in the monolith, Redis between workers.
public protocol ReplicationBus: Sendable {
    func publish(_ notice: StreamNotice)
    /// Calls `handler` for every notice published after this call, in publication order.
    func subscribe(_ handler: @escaping @Sendable (StreamNotice) -> Void)
}
