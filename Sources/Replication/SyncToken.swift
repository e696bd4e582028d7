/// A `/sync` `next_batch`: one position per stream. Clients store these, so the text form is versioned: `a1_` then
/// `events_receipts_accountdata_epoch.typing.presence`. A later format gets a new prefix and this one stays readable;
/// tokens handed out before presence had a position (`epoch.typing`) read as presence 0, so they get every change.
public struct SyncToken: Sendable, Hashable, CustomStringConvertible {
    public var events: Int64
    public var receipts: Int64
    public var accountData: Int64
    /// The typing writer's start time; positions from another epoch mean "send the current typing state".
    public var typingEpoch: Int64
    public var typing: Int64
    /// Presence changes since the same epoch (presence, like typing, lives in the main process's memory).
    public var presence: Int64

    public init(events: Int64, receipts: Int64, accountData: Int64, typingEpoch: Int64, typing: Int64, presence: Int64 = 0) {
        self.events = events
        self.receipts = receipts
        self.accountData = accountData
        self.typingEpoch = typingEpoch
        self.typing = typing
        self.presence = presence
    }

    private static let prefix = "a1_"

    public init?(_ text: String) {
        guard text.hasPrefix(Self.prefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let ephemeral = parts[3].split(separator: ".", omittingEmptySubsequences: false)
        guard ephemeral.count == 2 || ephemeral.count == 3, let events = Int64(parts[0]), let receipts = Int64(parts[1]),
            let accountData = Int64(parts[2]), let epoch = Int64(ephemeral[0]), let typingPosition = Int64(ephemeral[1]),
            let presence = ephemeral.count == 3 ? Int64(ephemeral[2]) : 0,
            [events, receipts, accountData, typingPosition, presence].allSatisfy({ $0 >= 0 })
        else { return nil }
        self.init(
            events: events, receipts: receipts, accountData: accountData, typingEpoch: epoch, typing: typingPosition, presence: presence
        )
    }

    public var description: String {
        "\(Self.prefix)\(events)_\(receipts)_\(accountData)_\(typingEpoch).\(typing).\(presence)"
    }

    public func position(of stream: StreamName) -> Int64 {
        switch stream {
        case .events: events
        case .receipts: receipts
        case .accountData: accountData
        case .typing: typing
        case .presence: presence
        }
    }
}

/// A `/messages` token: `t<depth>-<stream>` (just before an event in the room's history) or `s<stream>` (just after
/// stream position `stream`). `/messages` also accepts a sync token, read as its events position.
public enum RoomToken: Sendable, Hashable, CustomStringConvertible {
    case topological(depth: Int64, stream: Int64)
    case stream(Int64)

    public init?(_ text: String) {
        if let sync = SyncToken(text) {
            self = .stream(sync.events)
        } else if text.hasPrefix("s"), let stream = Int64(text.dropFirst()), stream >= 0 {
            self = .stream(stream)
        } else if text.hasPrefix("t") {
            let parts = text.dropFirst().split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let depth = Int64(parts[0]), let stream = Int64(parts[1]), depth >= 0, stream >= 0 else {
                return nil
            }
            self = .topological(depth: depth, stream: stream)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .topological(let depth, let stream): "t\(depth)-\(stream)"
        case .stream(let stream): "s\(stream)"
        }
    }
}
