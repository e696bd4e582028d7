public import MatrixTypes
public import Replication
public import Storage

/// Per-user JSON blobs, global or per room (`m.direct`, `m.fully_read`, `m.tag`, …), on the `account_data` stream.
public final class AccountDataService: Sendable {
    /// One changed blob; `roomID` is `nil` for global data.
    public struct Entry: Sendable {
        public var roomID: RoomID?
        public var type: String
        public var content: JSONValue
    }

    private let database: any Database
    private let streamIDs: StreamIDAllocator
    private let bus: any ReplicationBus

    public init(database: any Database, streamIDs: StreamIDAllocator, bus: any ReplicationBus) {
        self.database = database
        self.streamIDs = streamIDs
        self.bus = bus
    }

    public var position: Int64 { streamIDs.persistedUpTo }

    public func put(_ content: JSONValue, type: String, user: UserID, roomID: RoomID?) async throws(RoomError) {
        if roomID == nil, type.hasSameBytes(as: IgnoredUserList.type), IgnoredUserList.users(in: content).contains(JSONKey(user.rawValue)) {
            throw .badRequest("You cannot ignore yourself")
        }
        let encoded = String(decoding: content.encoded(), as: UTF8.self)
        let (_, position) = try await RoomError.catching {
            try await streamIDs.write { transaction, streamID in
                try transaction.execute(
                    """
                    INSERT INTO account_data (user_id, room_id, data_type, content, stream_id) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (user_id, room_id, data_type) DO UPDATE SET content = excluded.content, stream_id = excluded.stream_id
                    """,
                    [.text(user.rawValue), .text(roomID?.rawValue ?? ""), .text(type), .text(encoded), .integer(streamID)]
                )
            }
        }
        bus.publish(StreamNotice(stream: .accountData, position: position, users: [user]))
    }

    public func get(type: String, user: UserID, roomID: RoomID?) async throws(RoomError) -> JSONValue {
        let text = try await RoomError.catching {
            try await database.read { connection -> String? in
                try connection.queryOne(
                    "SELECT content FROM account_data WHERE user_id = ? AND room_id = ? AND data_type = ?",
                    [.text(user.rawValue), .text(roomID?.rawValue ?? ""), .text(type)]
                )?.decode(0)
            }
        }
        guard let text, let content = try? JSONValue.parse(text), content.objectValue?.isEmpty == false || type == "m.tag" else {
            throw .accountDataNotFound
        }
        return content
    }

    /// The user's blobs changed after stream position `after` (all of them when `nil`) up to `upTo`.
    public func changes(of user: UserID, after: Int64?, upTo: Int64) async throws(RoomError) -> [Entry] {
        let rows = try await RoomError.catching {
            try await database.read { connection in
                try connection.query(
                    "SELECT room_id, data_type, content FROM account_data WHERE user_id = ? AND stream_id > ? AND stream_id <= ?",
                    [.text(user.rawValue), .integer(after ?? Int64.min), .integer(upTo)]
                )
            }
        }
        return try await RoomError.catching {
            try rows.compactMap { row in
                let room: String = try row.decode("room_id")
                guard let content = try? JSONValue.parse(try row.decode("content", as: String.self)) else { return nil }
                return Entry(roomID: room.isEmpty ? nil : try RoomID(room), type: try row.decode("data_type"), content: content)
            }
        }
    }
}
