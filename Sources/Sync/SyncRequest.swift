public import MatrixTypes
public import Replication
public import Rooms

/// A decoded `GET /sync`.
public struct SyncRequest: Sendable {
    public var user: UserID
    public var deviceID: String?
    public var since: SyncToken?
    public var timeout: Duration
    public var fullState: Bool
    public var filter: SyncFilter
    /// `set_presence`: the presence syncing sets (Synapse's default is `online`; `offline` changes nothing).
    public var setPresence: String

    public init(
        user: UserID, deviceID: String?, since: SyncToken?, timeout: Duration, fullState: Bool, filter: SyncFilter,
        setPresence: String = "online"
    ) {
        self.user = user
        self.deviceID = deviceID
        self.since = since
        self.timeout = timeout
        self.fullState = fullState
        self.filter = filter
        self.setPresence = setPresence
    }
}

/// The parts of a sync filter Axon applies: the room timeline filter and its limit, lazy-loaded members, and
/// whether left rooms are included.
public struct SyncFilter: Sendable {
    public var timeline: EventFilter
    public var lazyLoadMembers: Bool
    /// `include_redundant_members`: lazy loading sends the senders' members even when the device holds them.
    public var includeRedundantMembers: Bool
    public var includeLeave: Bool
    /// The filter's `presence` section, on `m.presence` events' type and sender.
    public var presence: EventFilter
    /// `event_format`: rooms' events in the client format or whole, as servers exchange them.
    public var eventFormat: ClientEventFormat.Format

    public static let defaultTimelineLimit = 10

    public init(json: JSONValue) {
        let room = json["room"] ?? [:]
        timeline = EventFilter(json: room["timeline"] ?? [:])
        lazyLoadMembers = room["state"]?["lazy_load_members"] == .bool(true)
        includeRedundantMembers = room["state"]?["include_redundant_members"] == .bool(true)
        includeLeave = room["include_leave"] == .bool(true)
        presence = EventFilter(json: json["presence"] ?? [:])
        eventFormat = json["event_format"] == "federation" ? .federation : .client
    }

    public var timelineLimit: Int { timeline.limit ?? Self.defaultTimelineLimit }
}
