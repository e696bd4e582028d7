/// A `/sync` `next_batch`: one position per stream. Clients store these, so the text form is versioned: `a2_` then
/// `events_receipts_accountdata_epoch.typing.presence_todevice_devicelists`, where `events` is one position per events
/// writer (`EventPositions`). Earlier formats stay readable: `a1_` (one events position), tokens handed out before
/// presence had a position (`epoch.typing`) read as presence 0, and those before to-device messages and device lists
/// had positions read as 0 for both, so they get every change (to-device messages wait until delivered anyway).
public struct SyncToken: Sendable, Hashable, CustomStringConvertible {
    public var events: EventPositions
    public var receipts: Int64
    public var accountData: Int64
    /// The typing writer's start time; positions from another epoch mean "send the current typing state".
    public var typingEpoch: Int64
    public var typing: Int64
    /// Presence changes since the same epoch (presence, like typing, lives in the main process's memory).
    public var presence: Int64
    /// The last to-device message delivered to the token's device (every one up to it is acknowledged by using it).
    public var toDevice: Int64
    public var deviceLists: Int64

    public init(
        events: EventPositions, receipts: Int64, accountData: Int64, typingEpoch: Int64, typing: Int64, presence: Int64 = 0,
        toDevice: Int64 = 0, deviceLists: Int64 = 0
    ) {
        self.events = events
        self.receipts = receipts
        self.accountData = accountData
        self.typingEpoch = typingEpoch
        self.typing = typing
        self.presence = presence
        self.toDevice = toDevice
        self.deviceLists = deviceLists
    }

    private static let prefix = "a2_"
    /// The format before events had a position per writer.
    private static let singleWriterPrefix = "a1_"

    public init?(_ text: String) {
        let vectors = text.hasPrefix(Self.prefix)
        guard vectors || text.hasPrefix(Self.singleWriterPrefix) else { return nil }
        let parts = text.dropFirst(Self.prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 4 || (vectors && parts.count == 6), vectors || !parts[0].contains("~") else { return nil }
        let ephemeral = parts[3].split(separator: ".", omittingEmptySubsequences: false)
        guard ephemeral.count == 2 || ephemeral.count == 3, let events = EventPositions(parts[0]), let receipts = Int64(parts[1]),
            let accountData = Int64(parts[2]), let epoch = Int64(ephemeral[0]), let typingPosition = Int64(ephemeral[1]),
            let presence = ephemeral.count == 3 ? Int64(ephemeral[2]) : 0,
            let toDevice = parts.count == 6 ? Int64(parts[4]) : 0, let deviceLists = parts.count == 6 ? Int64(parts[5]) : 0,
            [receipts, accountData, typingPosition, presence, toDevice, deviceLists].allSatisfy({ $0 >= 0 })
        else { return nil }
        self.init(
            events: events, receipts: receipts, accountData: accountData, typingEpoch: epoch, typing: typingPosition, presence: presence,
            toDevice: toDevice, deviceLists: deviceLists
        )
    }

    public var description: String {
        "\(Self.prefix)\(events)_\(receipts)_\(accountData)_\(typingEpoch).\(typing).\(presence)_\(toDevice)_\(deviceLists)"
    }

}

/// A `/messages` token: `t<depth>-<stream>` (just before an event in the room's history) or `s<stream>` (just after
/// stream position `stream`). `/messages` also accepts a sync token: just after the room's writer's position in it.
public enum RoomToken: Sendable, Hashable, CustomStringConvertible {
    case topological(depth: Int64, stream: Int64)
    case stream(Int64)
    /// A sync token's events positions, which a room reads at its owner's (`RoomReader` turns it into `stream`).
    case writers(EventPositions)

    public init?(_ text: String) {
        if let sync = SyncToken(text) {
            self = sync.events.writers.isEmpty ? .stream(sync.events.minimum) : .writers(sync.events)
        } else if text.hasPrefix("s"), let stream = Int64(text.dropFirst()), stream >= 0 {
            self = .stream(stream)
        } else if text.hasPrefix("t") {
            // Older history fetched from other servers sits at negative stream orderings: `t12--40`, as Synapse writes it.
            let parts = text.dropFirst().split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let depth = Int64(parts[0]), let stream = Int64(parts[1]), depth >= 0, stream > Int64.min else {
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
        case .writers(let positions): "s\(positions.minimum)"
        }
    }
}
