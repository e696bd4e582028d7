public import MatrixTypes
public import Replication
public import Storage

/// Per-user JSON blobs, global or per room (`m.direct`, `m.fully_read`, `m.tag`, …), on the `account_data` stream.
public final class AccountDataService: AccountDataReads {
    private let database: any Database
    private let stream: StreamAccess
    private let bus: any ReplicationBus

    public init(database: any Database, stream: StreamAccess, bus: any ReplicationBus) {
        self.database = database
        self.stream = stream
        self.bus = bus
    }

    public var position: Int64 { stream.persistedUpTo }

    /// Where a reader must get to see every change made so far.
    public var allocatedUpTo: Int64 { stream.allocatedUpTo }

    /// The position now and after every advance.
    public func positions() -> AsyncStream<Int64> {
        stream.positions()
    }

    public func put(_ content: JSONValue, type: String, user: UserID, roomID: RoomID?) async throws(AccountDataError) {
        if roomID == nil, type.hasSameBytes(as: IgnoredUserList.type), IgnoredUserList.users(in: content).contains(JSONKey(user.rawValue)) {
            throw .cannotIgnoreSelf
        }
        let encoded = String(decoding: content.encoded(), as: UTF8.self)
        let (_, position) = try await AccountDataError.catching {
            try await stream.writer("account_data").write { transaction, streamID in
                try AccountDataTable.upsert(
                    userID: user.rawValue, roomID: roomID?.rawValue ?? "", type: type, content: encoded, streamID: streamID, in: transaction
                )
            }
        }
        bus.publish(StreamNotice(stream: .accountData, position: position, users: [user]))
    }

    /// The room's tags (`m.tag` account data's `tags`), empty when none were set.
    public func tags(of user: UserID, in roomID: RoomID) async throws(AccountDataError) -> JSONValue {
        do {
            return try await get(type: Self.tagType, user: user, roomID: roomID)["tags"] ?? [:]
        } catch .notFound {
            return [:]
        }
    }

    /// Sets (`content` an object) or removes (`nil`) one tag, reading and writing the room's `m.tag` in one
    /// transaction so concurrent changes to different tags all stand.
    public func setTag(_ tag: String, to content: JSONValue?, user: UserID, in roomID: RoomID) async throws(AccountDataError) {
        let (_, position) = try await AccountDataError.catching {
            try await stream.writer("account_data").write { transaction, streamID in
                let stored = try AccountDataTable.contentForUpdate(
                    userID: user.rawValue, roomID: roomID.rawValue, type: Self.tagType, streamID: streamID, in: transaction
                )
                var tags = stored.flatMap { try? JSONValue.parse($0) }?["tags"]?.objectValue ?? [:]
                tags[tag] = content
                let encoded = String(decoding: JSONValue.object(["tags": .object(tags)]).encoded(), as: UTF8.self)
                try AccountDataTable.upsert(
                    userID: user.rawValue, roomID: roomID.rawValue, type: Self.tagType, content: encoded, streamID: streamID, in: transaction
                )
            }
        }
        bus.publish(StreamNotice(stream: .accountData, position: position, users: [user]))
    }

    private static let tagType = "m.tag"

    public func get(type: String, user: UserID, roomID: RoomID?) async throws(AccountDataError) -> JSONValue {
        let text = try await AccountDataError.catching {
            try await database.read { connection in
                try AccountDataTable.content(userID: user.rawValue, roomID: roomID?.rawValue ?? "", type: type, in: connection)
            }
        }
        guard let text, let content = try? JSONValue.parse(text), content.objectValue?.isEmpty == false || type.hasSameBytes(as: Self.tagType) else {
            throw .notFound
        }
        return content
    }

    /// The user's blobs changed after stream position `after` (all of them when `nil`) up to `upTo`. A row whose
    /// content or room ID no longer parses is left out.
    public func changes(of user: UserID, after: Int64?, upTo: Int64) async throws(AccountDataError) -> [AccountDataEntry] {
        let rows = try await AccountDataError.catching {
            try await database.read { connection in
                try AccountDataTable.changed(userID: user.rawValue, after: after ?? Int64.min, upTo: upTo, in: connection)
            }
        }
        return rows.compactMap { row in
            guard let content = try? JSONValue.parse(row.content) else { return nil }
            if row.roomID.isEmpty { return AccountDataEntry(roomID: nil, type: row.type, content: content) }
            guard let roomID = try? RoomID(row.roomID) else { return nil }
            return AccountDataEntry(roomID: roomID, type: row.type, content: content)
        }
    }

    /// The notices of the account data changed in `(after, upTo]`, read again for a process that missed them.
    public func notices(after: Int64, upTo: Int64) async throws(AccountDataError) -> [StreamNotice] {
        try await CatchUpPages.notices(
            after: after,
            page: { from throws(AccountDataError) in
                try await AccountDataError.catching {
                    try await database.read { connection in
                        try AccountDataTable.owners(after: from, upTo: upTo, limit: CatchUpPages.pageSize, in: connection)
                    }
                }
            },
            position: \.streamID,
            notice: { row in (try? UserID(row.userID)).map { StreamNotice(stream: .accountData, position: row.streamID, users: [$0]) } }
        )
    }
}
