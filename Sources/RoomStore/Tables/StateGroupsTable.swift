import Storage

/// One state group's place in its delta chain.
struct StateGroupInfo: Sendable {
    var id: Int64
    /// Groups between this one and its snapshot (0 for a snapshot).
    var chainLength: Int64
    /// Entry rows written by the deltas since the snapshot, this group's included.
    var deltaRows: Int64
    /// Entry rows of the snapshot the chain starts from.
    var snapshotRows: Int64
}

/// One `(type, state_key) → event` entry of a resolved state group.
struct StateGroupEntry: Sendable {
    var stateKeyNID: Int64
    var eventNID: Int64
    var type: String
    var stateKey: String
    var eventID: String
}

/// The only SQL touching `state_groups` and `state_group_entries` (migration 0003, `Rooms`).
///
/// A group with no `prev_group` is a snapshot holding every entry; otherwise it holds only the entries that differ
/// from `prev_group`, and reading it walks the chain back to its snapshot, nearer groups winning.
enum StateGroupsTable {
    static func insert(
        roomNID: Int64, prevGroup: Int64?, chainLength: Int64, deltaRows: Int64, snapshotRows: Int64,
        in transaction: any Transaction
    ) throws(StorageError) -> Int64 {
        try transaction.queryValue(
            """
            INSERT INTO state_groups (room_nid, prev_group, chain_length, delta_rows, snapshot_rows)
            VALUES (?, ?, ?, ?, ?) RETURNING state_group
            """,
            [.integer(roomNID), SQLValue(prevGroup), .integer(chainLength), .integer(deltaRows), .integer(snapshotRows)]
        )
    }

    /// Writes entries in multi-row statements, so a snapshot of a large room costs few round trips.
    static func insertEntries(group: Int64, _ entries: [(stateKeyNID: Int64, eventNID: Int64)], in transaction: any Transaction)
        throws(StorageError)
    {
        try forEachChunk(of: entries, size: 300) { chunk throws(StorageError) in
            try transaction.execute(
                "INSERT INTO state_group_entries (state_group, state_key_nid, event_nid) VALUES \(valueRows(chunk.count, columns: 3))",
                chunk.flatMap { [SQLValue.integer(group), .integer($0.stateKeyNID), .integer($0.eventNID)] }
            )
        }
    }

    static func info(_ group: Int64, in connection: any Connection) throws(StorageError) -> StateGroupInfo? {
        try connection.queryOne(
            "SELECT chain_length, delta_rows, snapshot_rows FROM state_groups WHERE state_group = ?", [.integer(group)]
        ).map { row throws(StorageError) in
            StateGroupInfo(
                id: group, chainLength: try row.decode("chain_length"), deltaRows: try row.decode("delta_rows"),
                snapshotRows: try row.decode("snapshot_rows")
            )
        }
    }

    /// The full state of `group`, resolved from its chain in one query.
    static func resolve(_ group: Int64, in connection: any Connection) throws(StorageError) -> [StateGroupEntry] {
        let rows = try connection.query(
            """
            WITH RECURSIVE chain(state_group, prev_group, distance) AS (
                SELECT state_group, prev_group, 0 FROM state_groups WHERE state_group = ?
                UNION ALL
                SELECT g.state_group, g.prev_group, c.distance + 1
                FROM state_groups g JOIN chain c ON g.state_group = c.prev_group
            )
            SELECT s.state_key_nid, s.event_nid, k.event_type, k.state_key, i.event_id
            FROM chain c
            JOIN state_group_entries s ON s.state_group = c.state_group
            JOIN state_keys k ON k.state_key_nid = s.state_key_nid
            JOIN event_ids i ON i.event_nid = s.event_nid
            ORDER BY c.distance
            """,
            [.integer(group)]
        )
        var seen = Set<Int64>()
        var entries: [StateGroupEntry] = []
        for row in rows {
            let keyNID: Int64 = try row.decode("state_key_nid")
            guard seen.insert(keyNID).inserted else { continue }
            entries.append(
                StateGroupEntry(
                    stateKeyNID: keyNID, eventNID: try row.decode("event_nid"), type: try row.decode("event_type"),
                    stateKey: try row.decode("state_key"), eventID: try row.decode("event_id")
                )
            )
        }
        return entries
    }
}

extension StateGroupsTable {
    /// The entries at `keyNIDs` in each of `groups`, resolved from their chains in one query: the few state slots a
    /// page of events needs (history visibility, the reader's membership) without resolving whole states.
    /// - Returns: for each group, state key NID → event ID; a slot empty in that state is absent.
    static func entries(keyNIDs: [Int64], groups: Set<Int64>, in connection: any Connection) throws(StorageError)
        -> [Int64: [Int64: String]]
    {
        guard !keyNIDs.isEmpty, !groups.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            WITH RECURSIVE chain(origin, state_group, prev_group, distance) AS (
                SELECT state_group, state_group, prev_group, 0 FROM state_groups WHERE state_group IN (\(placeholders(groups.count)))
                UNION ALL
                SELECT c.origin, g.state_group, g.prev_group, c.distance + 1
                FROM state_groups g JOIN chain c ON g.state_group = c.prev_group
            )
            SELECT c.origin, s.state_key_nid, i.event_id
            FROM chain c
            JOIN state_group_entries s ON s.state_group = c.state_group AND s.state_key_nid IN (\(placeholders(keyNIDs.count)))
            JOIN event_ids i ON i.event_nid = s.event_nid
            ORDER BY c.origin, c.distance
            """,
            groups.sorted().map(SQLValue.integer) + keyNIDs.map(SQLValue.integer)
        )
        var result: [Int64: [Int64: String]] = [:]
        for row in rows {
            let origin: Int64 = try row.decode("origin")
            let key: Int64 = try row.decode("state_key_nid")
            // Nearer groups come first and win.
            if result[origin]?[key] == nil { result[origin, default: [:]][key] = try row.decode("event_id") }
        }
        return result
    }
}
