public import AccountData
public import E2EE
public import Presence
public import Receipts
public import RoomStore
public import Rooms
public import Typing

/// Everything `/sync`, the event stream and initial sync read, each through the narrow interface its producer offers
/// this consumer, so a process that serves sync without writing rooms or holding typing and presence plugs in
/// its own: the reader decides what a user may see and shapes events; the rest are plain reads.
public struct SyncSources: Sendable {
    public var reader: RoomReader
    public var timeline: any TimelineReads
    public var state: any RoomStateReads
    public var memberships: any MembershipReads
    public var receipts: any ReceiptReads
    public var accountData: any AccountDataReads
    public var typing: any TypingReads
    public var presence: any PresenceSource
    public var encryption: any EncryptionSyncReads

    public init(
        reader: RoomReader, timeline: any TimelineReads, state: any RoomStateReads, memberships: any MembershipReads,
        receipts: any ReceiptReads, accountData: any AccountDataReads, typing: any TypingReads, presence: any PresenceSource,
        encryption: any EncryptionSyncReads
    ) {
        self.reader = reader
        self.timeline = timeline
        self.state = state
        self.memberships = memberships
        self.receipts = receipts
        self.accountData = accountData
        self.typing = typing
        self.presence = presence
        self.encryption = encryption
    }
}
