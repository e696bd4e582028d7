import Storage

/// The only SQL touching `federation_sender_positions` and `federation_destination_rooms` (migration 0013): where a
/// sender resumes the events stream, and per destination and room the newest local event queued and acknowledged.
enum CatchUpTable {
    /// A room's newest event queued for a destination.
    struct Queued: Sendable, Hashable {
        var destination: String
        var roomID: String
        var ordering: Int64
    }

    /// Where `instance` resumes the events stream; `nil` before its first run.
    static func position(instance: String, in connection: any Connection) throws(StorageError) -> Int64? {
        try connection.queryOne(
            "SELECT stream_ordering FROM federation_sender_positions WHERE instance_name = ?", [.text(instance)]
        )?.decode(0)
    }

    /// Records `queued` (keeping a newer event already recorded) and that `instance` has queued everything up to
    /// `position`, in one transaction.
    static func record(_ queued: [Queued], position: Int64, instance: String, in transaction: any Transaction) throws(StorageError) {
        for entry in queued {
            try transaction.execute(
                """
                INSERT INTO federation_destination_rooms (destination, room_id, queued_ordering, delivered_ordering) VALUES (?, ?, ?, 0)
                ON CONFLICT (destination, room_id) DO UPDATE SET queued_ordering = CASE
                    WHEN excluded.queued_ordering > federation_destination_rooms.queued_ordering THEN excluded.queued_ordering
                    ELSE federation_destination_rooms.queued_ordering END
                """,
                [.text(entry.destination), .text(entry.roomID), .integer(entry.ordering)]
            )
        }
        try transaction.execute(
            """
            INSERT INTO federation_sender_positions (instance_name, stream_ordering) VALUES (?, ?)
            ON CONFLICT (instance_name) DO UPDATE SET stream_ordering = excluded.stream_ordering
            """,
            [.text(instance), .integer(position)]
        )
    }

    /// Records that `destination` acknowledged events up to these orderings in their rooms.
    static func delivered(_ delivered: [Queued], in transaction: any Transaction) throws(StorageError) {
        for entry in delivered {
            try transaction.execute(
                """
                UPDATE federation_destination_rooms SET delivered_ordering = ?
                WHERE destination = ? AND room_id = ? AND delivered_ordering < ?
                """,
                [.integer(entry.ordering), .text(entry.destination), .text(entry.roomID), .integer(entry.ordering)]
            )
        }
    }

    /// The rooms whose newest queued event some destination has not acknowledged, ordered by destination and room,
    /// after `after` (the last of the previous page), at most `limit`.
    static func behind(after: Queued?, limit: Int, in connection: any Connection) throws(StorageError) -> [Queued] {
        try connection.query(
            """
            SELECT destination, room_id, queued_ordering FROM federation_destination_rooms
            WHERE queued_ordering > delivered_ordering AND (destination > ? OR (destination = ? AND room_id > ?))
            ORDER BY destination, room_id LIMIT ?
            """,
            [.text(after?.destination ?? ""), .text(after?.destination ?? ""), .text(after?.roomID ?? ""), .integer(Int64(limit))]
        ).map { row throws(StorageError) in
            Queued(destination: try row.decode(0), roomID: try row.decode(1), ordering: try row.decode(2))
        }
    }
}
