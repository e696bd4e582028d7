import MatrixTypes
import Storage

/// The SQL that reads events for clients: timelines by stream ordering, history by topological ordering, and
/// rooms changed in a stream range. Outliers, rejected and soft-failed events never appear.
enum TimelineQueries {
    private static let columns = """
        SELECT i.event_id, r.room_id, e.event_type, e.state_key, e.sender, e.stream_ordering, e.topological_ordering,
            e.json, t.user_id AS txn_user, t.device_id AS txn_device, t.scope AS txn_scope, t.txn_id,
            (SELECT ri.event_id FROM redactions x JOIN event_ids ri ON ri.event_nid = x.redaction_event_nid
             JOIN events re ON re.event_nid = x.redaction_event_nid
             WHERE x.redacts_event_id = i.event_id AND re.room_nid = e.room_nid LIMIT 1) AS redacted_by
        FROM events e JOIN event_ids i ON i.event_nid = e.event_nid JOIN room_ids r ON r.room_nid = e.room_nid
        LEFT JOIN client_transactions t ON t.event_nid = e.event_nid
        """
    private static let visible = "e.outlier = 0 AND e.rejected_reason IS NULL AND e.soft_failed = 0"

    /// The newest `limit` events with stream ordering in `(after, upTo]`, oldest first.
    static func recent(roomNID: Int64, after: Int64?, upTo: Int64, limit: Int, in connection: any Connection)
        throws(StorageError) -> [Row]
    {
        try connection.query(
            """
            \(columns) WHERE e.room_nid = ? AND e.stream_ordering > ? AND e.stream_ordering <= ? AND \(visible)
            ORDER BY e.stream_ordering DESC LIMIT ?
            """,
            [.integer(roomNID), .integer(after ?? Int64.min), .integer(upTo), .integer(Int64(limit))]
        ).reversed()
    }

    /// One page of history from `from` in `direction`, stopping at `to`, in the order it is paged.
    static func page(
        roomNID: Int64, from: HistoryBound, to: HistoryBound?, direction: HistoryDirection, limit: Int,
        in connection: any Connection
    ) throws(StorageError) -> [Row] {
        var conditions = ["e.room_nid = ?", visible]
        var params: [SQLValue] = [.integer(roomNID)]
        func add(_ bound: HistoryBound, older: Bool) {
            switch (bound, older) {
            case (.before(let position), true):
                conditions.append("(e.topological_ordering < ? OR (e.topological_ordering = ? AND e.stream_ordering < ?))")
                params += [.integer(position.topological), .integer(position.topological), .integer(position.stream)]
            case (.before(let position), false):
                conditions.append("(e.topological_ordering > ? OR (e.topological_ordering = ? AND e.stream_ordering >= ?))")
                params += [.integer(position.topological), .integer(position.topological), .integer(position.stream)]
            case (.afterStream(let stream), true):
                conditions.append("e.stream_ordering <= ?")
                params.append(.integer(stream))
            case (.afterStream(let stream), false):
                conditions.append("e.stream_ordering > ?")
                params.append(.integer(stream))
            }
        }
        let backward = direction == .backward
        add(from, older: backward)
        if let to { add(to, older: !backward) }
        let order = backward ? "DESC" : "ASC"
        params.append(.integer(Int64(limit)))
        return try connection.query(
            """
            \(columns) WHERE \(conditions.joined(separator: " AND "))
            ORDER BY e.topological_ordering \(order), e.stream_ordering \(order) LIMIT ?
            """,
            params
        )
    }

    /// Every visible `m.room.member` event for `userID` in the room, newest first.
    static func memberEvents(roomNID: Int64, userID: String, in connection: any Connection) throws(StorageError) -> [Row] {
        try connection.query(
            """
            \(columns) WHERE e.room_nid = ? AND e.event_type = 'm.room.member' AND e.state_key = ? AND \(visible)
            ORDER BY e.stream_ordering DESC
            """,
            [.integer(roomNID), .text(userID)]
        )
    }

    static func events(_ ids: [String], in connection: any Connection) throws(StorageError) -> [Row] {
        guard !ids.isEmpty else { return [] }
        return try connection.query("\(columns) WHERE i.event_id IN (\(placeholders(ids.count)))", ids.map(SQLValue.text))
    }

    /// Those of `roomIDs` with a visible event in `(after, upTo]`: one indexed probe per room, so an old token
    /// costs as much as a new one instead of reading every event since it.
    static func roomsWithEvents(among roomIDs: [String], after: Int64, upTo: Int64, in connection: any Connection)
        throws(StorageError) -> [String]
    {
        var found: [String] = []
        try forEachChunk(of: roomIDs, size: 500) { chunk throws(StorageError) in
            found += try connection.query(
                """
                SELECT r.room_id FROM room_ids r WHERE r.room_id IN (\(placeholders(chunk.count))) AND EXISTS (
                    SELECT 1 FROM events e WHERE e.room_nid = r.room_nid AND e.stream_ordering > ? AND e.stream_ordering <= ?
                    AND \(visible))
                """,
                chunk.map(SQLValue.text) + [.integer(after), .integer(upTo)]
            ).map { row throws(StorageError) in try row.decode(0) }
        }
        return found
    }

    /// The newest event of the room (`?`) at or below stream ordering `upTo` (an SQL expression) that has state
    /// recorded, found by walking the room's stream index down (PostgreSQL chooses that walk once the table's
    /// statistics are current; from statistics of a nearly empty table it sorts the room's events instead).
    private static func lastWithState(upTo: String) -> String {
        """
        SELECT e.event_nid FROM events e
        WHERE e.room_nid = ? AND e.stream_ordering <= \(upTo) AND e.outlier = 0
            AND EXISTS (SELECT 1 FROM event_state_groups h WHERE h.event_nid = e.event_nid)
        ORDER BY e.stream_ordering DESC LIMIT 1
        """
    }

    /// The ID of the newest event of the room at or below stream ordering `upTo` that has state recorded.
    static func lastEventID(roomNID: Int64, upTo: Int64, in connection: any Connection) throws(StorageError) -> String? {
        try connection.queryOne(
            "SELECT event_id FROM event_ids WHERE event_nid = (\(lastWithState(upTo: "?")))", [.integer(roomNID), .integer(upTo)]
        )?.decode(0)
    }

    /// The state group after the newest event of the room at or below stream ordering `upTo` that has state recorded:
    /// the room's state at that stream position.
    static func stateGroup(roomNID: Int64, upTo: Int64, in connection: any Connection) throws(StorageError) -> Int64? {
        try connection.queryOne(
            "SELECT state_group FROM event_state_groups WHERE event_nid = (\(lastWithState(upTo: "?")))", [.integer(roomNID), .integer(upTo)]
        )?.decode(0)
    }

    /// `stateGroup(roomNID:upTo:)` at each of `positions`, in one statement; positions before the room's first state
    /// are left out.
    static func stateGroups(roomNID: Int64, upTo positions: Set<Int64>, in connection: any Connection) throws(StorageError) -> [Int64: Int64] {
        guard !positions.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT p.column1 AS position, (
                SELECT g.state_group FROM event_state_groups g WHERE g.event_nid = (\(lastWithState(upTo: "p.column1")))
            ) AS state_group
            FROM (VALUES \(valueRows(positions.count, columns: 1))) AS p
            """,
            [.integer(roomNID)] + positions.map(SQLValue.integer)
        )
        var groups: [Int64: Int64] = [:]
        for row in rows {
            if let group = try row.decode("state_group", as: Int64?.self) { groups[try row.decode("position")] = group }
        }
        return groups
    }

    static func decode(_ row: Row) throws(RoomStoreError) -> RoomEvent {
        let raw = try RoomStoreError.catchingNow {
            (
                event: try row.decode("event_id", as: String.self), room: try row.decode("room_id", as: String.self),
                type: try row.decode("event_type", as: String.self), stateKey: try row.decode("state_key", as: String?.self),
                sender: try row.decode("sender", as: String.self), stream: try row.decode("stream_ordering", as: Int64.self),
                topological: try row.decode("topological_ordering", as: Int64.self), json: try row.decode("json", as: [UInt8].self),
                txnUser: try row.decode("txn_user", as: String?.self), txnDevice: try row.decode("txn_device", as: String?.self),
                txnScope: try row.decode("txn_scope", as: String?.self), txnID: try row.decode("txn_id", as: String?.self), redactedBy: try row.decode("redacted_by", as: String?.self)
            )
        }
        var transaction: ClientTransaction?
        if let user = raw.txnUser, let device = raw.txnDevice, let scope = raw.txnScope, let txnID = raw.txnID {
            transaction = ClientTransaction(userID: try parseStored(user), deviceID: device, scope: scope, txnID: txnID)
        }
        return RoomEvent(
            eventID: try parseStored(raw.event), roomID: try parseStored(raw.room), type: raw.type, stateKey: raw.stateKey,
            sender: try parseStored(raw.sender), streamOrdering: raw.stream, topologicalOrdering: raw.topological,
            json: raw.json, transaction: transaction,
            redactedBy: try raw.redactedBy.map { id throws(RoomStoreError) in try parseStored(id) }
        )
    }
}

/// Parses an identifier read back from the store.
func parseStored<ID: MatrixIdentifier>(_ value: String) throws(RoomStoreError) -> ID {
    do {
        return try ID(value)
    } catch {
        throw .corruptIdentifier(value)
    }
}
