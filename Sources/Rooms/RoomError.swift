import MatrixTypes
public import RoomStore
public import Storage

/// Why a room operation failed; the HTTP layer maps each case to the spec's error once.
public enum RoomError: Error, Sendable {
    /// The auth rules or a membership check refused the action.
    case forbidden(String)
    case roomNotFound
    case eventNotFound
    case aliasNotFound
    case aliasInUse
    /// An alias an `m.room.canonical_alias` event names that does not point to the room.
    case badAlias(String)
    case unsupportedRoomVersion(String)
    case badRequest(String)
    /// `createRoom` parameters that imply a room the auth rules refuse (a v12 creator given a power level, a
    /// creator without the power to set the name it asked for).
    case invalidRoomState(String)
    /// A built event failed to encode or decode (a bug or an unencodable client value such as a float).
    case invalidEvent(String)
    /// The signed event would be larger than the 65,536 bytes a PDU may have; nothing was persisted.
    case eventTooLarge
    /// A rate limit (`rc_*`) refused the action; the client may retry after this many milliseconds.
    case rateLimited(retryAfterMilliseconds: Int)
    case storage(RoomStoreError)
    /// The membership change does not fit the target's current membership (unban someone not banned).
    case badState(String)
    /// No free room ID was found for a new room (v12 IDs are create event hashes; see `RoomWriter`).
    case roomIDUnavailable
    /// The request was cancelled (the server is stopping).
    case cancelled
    /// The event persister that owns the room could not be reached or did not answer; nothing is known to be written,
    /// and a retry with the same transaction ID is safe.
    case writerUnavailable(String)
    /// A received event refers to events this server does not hold (its prev or auth events); the caller fetches
    /// them and tries again.
    case missingEvents([EventID])
    /// No other server could be asked (a join through servers none of which answered, or refused).
    case remoteUnavailable(String)
    /// A join to a restricted room that this server cannot check: it holds none of the rooms the join rule allows.
    case cannotAuthoriseJoin(String)
    /// A join to a restricted room that none of this server's members may vouch for; another server may.
    case cannotGrantJoin(String)
}

extension RoomError: StorageFailureWrapping {
    public init(wrapping error: any Error) {
        self = .storage(error as? RoomStoreError ?? RoomStoreError(wrapping: error))
    }
}
