public import MatrixTypes
public import Replication
public import Storage

/// Read receipts (`m.read`, `m.read.private`, threaded) on the `receipts` stream. A user's receipt of a type in a
/// thread replaces the previous one.
public final class ReceiptService: Sendable {
    public static let types: Set<String> = ["m.read", "m.read.private"]

    private let database: any Database
    private let streamIDs: StreamIDAllocator
    private let bus: any ReplicationBus
    private let clock: @Sendable () -> Int64

    public init(database: any Database, streamIDs: StreamIDAllocator, bus: any ReplicationBus, clock: @escaping @Sendable () -> Int64 = currentMilliseconds) {
        self.database = database
        self.streamIDs = streamIDs
        self.bus = bus
        self.clock = clock
    }

    public var position: Int64 { streamIDs.persistedUpTo }

    public func post(type: String, eventID: EventID, threadID: String?, user: UserID, roomID: RoomID) async throws(RoomError) {
        if let threadID, threadID.isEmpty || threadID.utf8.contains(0) { throw .badRequest("Invalid thread_id") }
        let now = clock()
        let (_, position) = try await RoomError.catching {
            try await streamIDs.write { transaction, streamID in
                try transaction.execute(
                    """
                    INSERT INTO receipts (room_id, receipt_type, user_id, thread_id, event_id, ts, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (room_id, receipt_type, user_id, thread_id)
                    DO UPDATE SET event_id = excluded.event_id, ts = excluded.ts, stream_id = excluded.stream_id
                    """,
                    [.text(roomID.rawValue), .text(type), .text(user.rawValue), .text(threadID ?? ""), .text(eventID.rawValue),
                     .integer(now), .integer(streamID)]
                )
            }
        }
        bus.publish(StreamNotice(stream: .receipts, position: position, roomID: roomID, users: [user]))
    }

    /// The `m.receipt` event content per room for receipts changed in `(after, upTo]` (all when `after` is `nil`).
    /// Private receipts are shown to their owner only.
    public func receipts(in rooms: Set<RoomID>, after: Int64?, upTo: Int64, viewer: UserID) async throws(RoomError) -> [RoomID: JSONValue] {
        guard !rooms.isEmpty else { return [:] }
        let ids = rooms.map(\.rawValue)
        let rows = try await RoomError.catching {
            try await database.read { connection in
                try connection.query(
                    """
                    SELECT room_id, receipt_type, user_id, thread_id, event_id, ts FROM receipts
                    WHERE stream_id > ? AND stream_id <= ? AND room_id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ", ")))
                    """,
                    [.integer(after ?? Int64.min), .integer(upTo)] + ids.map(SQLValue.text)
                )
            }
        }
        var content: [RoomID: JSONObject] = [:]
        for row in rows {
            guard let fields = try? (
                room: RoomID(row.decode("room_id", as: String.self)), type: row.decode("receipt_type", as: String.self),
                user: row.decode("user_id", as: String.self), thread: row.decode("thread_id", as: String.self),
                event: row.decode("event_id", as: String.self), ts: row.decode("ts", as: Int64.self)
            ) else { continue }
            if fields.type == "m.read.private", fields.user != viewer.rawValue { continue }
            var receipt: JSONObject = ["ts": .integer(fields.ts)]
            if !fields.thread.isEmpty { receipt["thread_id"] = .string(fields.thread) }
            var roomContent = content[fields.room] ?? [:]
            var forEvent = roomContent[fields.event] ?? [:]
            var forType = forEvent[fields.type] ?? [:]
            forType[fields.user] = .object(receipt)
            forEvent[fields.type] = forType
            roomContent[fields.event] = forEvent
            content[fields.room] = roomContent
        }
        return content.mapValues(JSONValue.object)
    }
}
