import MatrixTypes
import Storage

/// The only SQL touching `events` (migration 0003, `Rooms`): raw JSON bytes plus the columns timelines, sync and
/// federation index on.
enum EventsTable {
    /// One row to insert.
    struct NewRow {
        let event: NewEvent
        let eventNID: Int64
        let roomNID: Int64
        let streamOrdering: Int64
    }

    /// Inserts `rows`, a statement per 50 of them.
    static func insert(_ rows: [NewRow], instanceName: String, in transaction: any Transaction) throws(StorageError) {
        try forEachChunk(of: rows, size: 50) { chunk throws(StorageError) in
            try transaction.execute(
                """
                INSERT INTO events (event_nid, room_nid, stream_ordering, topological_ordering, event_type, state_key, sender,
                    outlier, rejected_reason, soft_failed, instance_name, json)
                VALUES \(valueRows(chunk.count, columns: 12))
                """,
                chunk.flatMap { row in
                    let event = row.event
                    return [
                        SQLValue.integer(row.eventNID), .integer(row.roomNID), .integer(row.streamOrdering), .integer(event.depth),
                        .text(event.type), SQLValue(event.stateKey), .text(event.sender.rawValue), SQLValue(event.outlier),
                        SQLValue(event.rejectedReason), SQLValue(event.softFailed), .text(instanceName), .blob(event.json),
                    ]
                }
            )
        }
    }

    /// Deletes the outlier rows among `eventNIDs`, which are about to be stored again as part of a timeline.
    static func deleteOutliers(_ eventNIDs: [Int64], in transaction: any Transaction) throws(StorageError) {
        try forEachChunk(of: eventNIDs, size: 500) { chunk throws(StorageError) in
            try transaction.execute(
                "DELETE FROM events WHERE outlier = 1 AND event_nid IN (\(placeholders(chunk.count)))", chunk.map(SQLValue.integer)
            )
        }
    }

    static let storedColumns = """
        SELECT i.event_id, r.room_id, e.event_type, e.state_key, e.sender, e.stream_ordering, e.topological_ordering,
            e.outlier, e.rejected_reason, e.soft_failed, e.instance_name, e.json
        FROM event_ids i JOIN events e ON e.event_nid = i.event_nid JOIN room_ids r ON r.room_nid = e.room_nid
        """

    static func find(_ eventID: EventID, in connection: any Connection) throws(StorageError) -> Row? {
        try connection.queryOne("\(storedColumns) WHERE i.event_id = ?", [.text(eventID.rawValue)])
    }

    /// The stored rows among `ids`, whatever their status (outliers, rejected and soft-failed included).
    static func find(_ ids: [String], in connection: any Connection) throws(StorageError) -> [Row] {
        var rows: [Row] = []
        try forEachChunk(of: ids, size: 500) { chunk throws(StorageError) in
            rows += try connection.query("\(storedColumns) WHERE i.event_id IN (\(placeholders(chunk.count)))", chunk.map(SQLValue.text))
        }
        return rows
    }

    /// Whether any event holds one of `streamOrderings` (a batch commits whole, so one is enough to tell).
    static func hasAny(_ connection: any Connection, streamOrderings: [Int64]) throws -> Bool {
        guard !streamOrderings.isEmpty else { return false }
        return try connection.queryOne(
            "SELECT 1 FROM events WHERE stream_ordering IN (\(placeholders(streamOrderings.count))) LIMIT 1",
            streamOrderings.map(SQLValue.integer)
        ) != nil
    }

    /// Events with stream orderings in `(after, upTo]`, the first `limit` of them in order: what a process that
    /// missed their notices announces again.
    static func written(after: Int64, upTo: Int64, limit: Int, in connection: any Connection) throws(StorageError) -> [EventStreamEntry] {
        let rows = try connection.query(
            """
            SELECT e.stream_ordering, r.room_id, e.event_type, e.state_key FROM events e JOIN room_ids r ON r.room_nid = e.room_nid
            WHERE e.stream_ordering > ? AND e.stream_ordering <= ? ORDER BY e.stream_ordering LIMIT ?
            """,
            [.integer(after), .integer(upTo), .integer(Int64(limit))]
        )
        var written: [EventStreamEntry] = []
        for row in rows {
            guard let roomID = try? RoomID(try row.decode("room_id", as: String.self)) else { continue }
            written.append(
                EventStreamEntry(
                    streamOrdering: try row.decode("stream_ordering"), roomID: roomID, type: try row.decode("event_type"),
                    stateKey: try row.decode("state_key")
                )
            )
        }
        return written
    }

    /// The events with stream orderings in `(after, upTo]` that joined their room's timeline (neither outliers, nor
    /// rejected, nor soft-failed), in order, at most `limit`, with their bodies.
    static func timelineRows(after: Int64, upTo: Int64, limit: Int, in connection: any Connection) throws(StorageError) -> [Row] {
        try connection.query(
            """
            \(storedColumns) WHERE e.stream_ordering > ? AND e.stream_ordering <= ?
                AND e.outlier = 0 AND e.rejected_reason IS NULL AND e.soft_failed = 0
            ORDER BY e.stream_ordering LIMIT ?
            """,
            [.integer(after), .integer(upTo), .integer(Int64(limit))]
        )
    }
}
