public import MatrixTypes
public import Replication
public import Storage

/// Read receipts (`m.read`, `m.read.private`, threaded) on the `receipts` stream. A user's receipt of a type in a
/// thread replaces the previous one.
public final class ReceiptService: ReceiptReads {
    public static let types: Set<String> = ["m.read", "m.read.private"]

    private let database: any Database
    private let stream: StreamAccess
    private let bus: any ReplicationBus
    private let clock: @Sendable () -> Int64

    public init(database: any Database, stream: StreamAccess, bus: any ReplicationBus, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.database = database
        self.stream = stream
        self.bus = bus
        self.clock = clock
    }

    public var position: Int64 { stream.persistedUpTo }

    /// Where a reader must get to see every change made so far.
    public var allocatedUpTo: Int64 { stream.allocatedUpTo }

    /// The position now and after every advance.
    public func positions() -> AsyncStream<Int64> {
        stream.positions()
    }

    /// Stores the receipt; whether the user may see the event is the caller's to check (`ReadMarkerService`).
    public func post(type: String, eventID: EventID, threadID: String?, user: UserID, roomID: RoomID) async throws(ReceiptError) {
        if let threadID, threadID.isEmpty || threadID.utf8.contains(0) { throw .invalidThreadID }
        let row = ReceiptRow(
            roomID: roomID.rawValue, type: type, userID: user.rawValue, threadID: threadID ?? "", eventID: eventID.rawValue, timestamp: clock()
        )
        let (_, position) = try await ReceiptError.catching {
            try await stream.writer("receipts").write { transaction, streamID in try ReceiptsTable.upsert(row, streamID: streamID, in: transaction) }
        }
        bus.publish(StreamNotice(stream: .receipts, position: position, roomID: roomID, users: [user]))
    }

    /// The `m.receipt` event content per room for receipts changed in `(after, upTo]` (all when `after` is `nil`).
    /// Private receipts are shown to their owner only.
    public func receipts(in rooms: Set<RoomID>, after: Int64?, upTo: Int64, viewer: UserID) async throws(ReceiptError) -> [RoomID: JSONValue] {
        guard !rooms.isEmpty else { return [:] }
        let rows = try await ReceiptError.catching {
            try await database.read { connection in
                try ReceiptsTable.changed(inRooms: rooms.map(\.rawValue), after: after ?? Int64.min, upTo: upTo, in: connection)
            }
        }
        var content: [RoomID: JSONObject] = [:]
        for row in rows {
            guard let room = try? RoomID(row.roomID) else { continue }
            if row.type.hasSameBytes(as: "m.read.private"), !row.userID.hasSameBytes(as: viewer.rawValue) { continue }
            var receipt: JSONObject = ["ts": .integer(row.timestamp)]
            if !row.threadID.isEmpty { receipt["thread_id"] = .string(row.threadID) }
            var roomContent = content[room] ?? [:]
            var forEvent = roomContent[row.eventID] ?? [:]
            var forType = forEvent[row.type] ?? [:]
            forType[row.userID] = .object(receipt)
            forEvent[row.type] = forType
            roomContent[row.eventID] = forEvent
            content[room] = roomContent
        }
        return content.mapValues(JSONValue.object)
    }

    /// The notices of the receipts changed in `(after, upTo]`, read again for a process that missed them.
    public func notices(after: Int64, upTo: Int64) async throws(ReceiptError) -> [StreamNotice] {
        try await CatchUpPages.notices(
            after: after,
            page: { from throws(ReceiptError) in
                try await ReceiptError.catching {
                    try await database.read { connection in
                        try ReceiptsTable.changers(after: from, upTo: upTo, limit: CatchUpPages.pageSize, in: connection)
                    }
                }
            },
            position: \.streamID,
            notice: { row in
                guard let room = try? RoomID(row.roomID), let user = try? UserID(row.userID) else { return nil }
                return StreamNotice(stream: .receipts, position: row.streamID, roomID: room, users: [user])
            }
        )
    }
}
