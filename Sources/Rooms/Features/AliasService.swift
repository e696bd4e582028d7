public import MatrixTypes
import RoomStore
public import Storage

/// Local room aliases and the public room directory listing.
public final class AliasService: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func roomID(for alias: RoomAlias) async throws(RoomError) -> RoomID? {
        let text = try await RoomError.catching {
            try await database.read { connection -> String? in
                try connection.queryOne("SELECT room_id FROM room_aliases WHERE room_alias = ?", [.text(alias.rawValue)])?.decode(0)
            }
        }
        return text.flatMap { try? RoomID($0) }
    }

    public func create(_ alias: RoomAlias, roomID: RoomID, creator: UserID) async throws(RoomError) {
        try await insert(alias, roomID: roomID.rawValue, creator: creator)
    }

    /// Takes an alias for a room not written yet; it resolves to nothing until `bind`.
    func reserve(_ alias: RoomAlias, creator: UserID) async throws(RoomError) {
        try await insert(alias, roomID: "", creator: creator)
    }

    func bind(_ alias: RoomAlias, to roomID: RoomID) async throws(RoomError) {
        try await RoomError.catching {
            try await database.write { transaction in
                _ = try transaction.execute(
                    "UPDATE room_aliases SET room_id = ? WHERE room_alias = ?", [.text(roomID.rawValue), .text(alias.rawValue)]
                )
            }
        }
    }

    /// Gives back a reservation whose room was never written.
    func release(_ alias: RoomAlias) async {
        _ = try? await database.write { transaction in
            try transaction.execute("DELETE FROM room_aliases WHERE room_alias = ? AND room_id = ''", [.text(alias.rawValue)])
        }
    }

    private func insert(_ alias: RoomAlias, roomID: String, creator: UserID) async throws(RoomError) {
        do {
            try await database.write { transaction in
                try transaction.execute(
                    "INSERT INTO room_aliases (room_alias, room_id, creator) VALUES (?, ?, ?)",
                    [.text(alias.rawValue), .text(roomID), .text(creator.rawValue)]
                )
            }
        } catch StorageError.uniqueViolation {
            throw .aliasInUse
        } catch {
            throw .storage(.storage(error as? StorageError ?? .queryFailed(message: "\(error)")))
        }
    }

    /// The room an alias names (`nil` while reserved for a room being created) and who created it.
    func entry(_ alias: RoomAlias) async throws(RoomError) -> (roomID: RoomID?, creator: String)? {
        try await RoomError.catching {
            try await database.read { connection -> (RoomID?, String)? in
                guard let row = try connection.queryOne(
                    "SELECT room_id, creator FROM room_aliases WHERE room_alias = ?", [.text(alias.rawValue)]
                ) else { return nil }
                let roomID: String = try row.decode("room_id")
                return (try? RoomID(roomID), try row.decode("creator"))
            }
        }
    }

    func remove(_ alias: RoomAlias) async throws(RoomError) {
        _ = try await RoomError.catching {
            try await database.write { transaction in
                try transaction.execute("DELETE FROM room_aliases WHERE room_alias = ?", [.text(alias.rawValue)])
            }
        }
    }

    public func aliases(of roomID: RoomID) async throws(RoomError) -> [String] {
        try await RoomError.catching {
            try await database.read { connection in
                try connection.query("SELECT room_alias FROM room_aliases WHERE room_id = ? ORDER BY room_alias", [.text(roomID.rawValue)])
                    .map { try $0.decode(0, as: String.self) }
            }
        }
    }

    public func setListed(_ listed: Bool, roomID: RoomID) async throws(RoomError) {
        try await RoomError.catching {
            try await database.write { transaction in
                if listed {
                    // Listed with its joined member count, which the room's writer keeps current from here on.
                    try transaction.execute(
                        """
                        INSERT INTO room_directory (room_id, joined_members) VALUES (?, (
                            SELECT COUNT(*) FROM room_memberships m JOIN room_ids r ON r.room_nid = m.room_nid
                            WHERE r.room_id = ? AND m.membership = 'join'
                        )) ON CONFLICT DO NOTHING
                        """,
                        [.text(roomID.rawValue), .text(roomID.rawValue)]
                    )
                } else {
                    try transaction.execute("DELETE FROM room_directory WHERE room_id = ?", [.text(roomID.rawValue)])
                }
            }
        }
    }

    public func isListed(_ roomID: RoomID) async throws(RoomError) -> Bool {
        try await RoomError.catching {
            try await database.read { connection in
                try connection.queryOne("SELECT 1 FROM room_directory WHERE room_id = ?", [.text(roomID.rawValue)]) != nil
            }
        }
    }

    /// Up to `limit` listed rooms in listing order (most joined members first, then room ID descending) strictly
    /// after `cursor`, or strictly before it when `backward` (then nearest first). Reads only the rows it returns.
    func listedRooms(after cursor: DirectoryCursor?, backward: Bool = false, limit: Int) async throws(RoomError) -> [DirectoryCursor] {
        guard limit > 0 else { return [] }
        return try await RoomError.catching {
            try await database.read { connection in
                var conditions = ""
                var params: [SQLValue] = []
                if let cursor {
                    let sign = backward ? ">" : "<"
                    conditions = "WHERE joined_members \(sign) ? OR (joined_members = ? AND room_id \(sign) ?)"
                    params = [.integer(cursor.joinedMembers), .integer(cursor.joinedMembers), .text(cursor.roomID)]
                }
                let order = backward ? "ASC" : "DESC"
                return try connection.query(
                    """
                    SELECT room_id, joined_members FROM room_directory \(conditions)
                    ORDER BY joined_members \(order), room_id \(order) LIMIT ?
                    """,
                    params + [.integer(Int64(limit))]
                ).map { row in DirectoryCursor(joinedMembers: try row.decode("joined_members"), roomID: try row.decode("room_id")) }
            }
        }
    }

    /// How many rooms are listed.
    func listedCount() async throws(RoomError) -> Int64 {
        try await RoomError.catching {
            try await database.read { connection in try connection.queryValue("SELECT COUNT(*) FROM room_directory", as: Int64.self) }
        }
    }
}

/// A place in the directory's listing order, and the `/publicRooms` batch token naming it.
struct DirectoryCursor: Sendable, Hashable {
    var joinedMembers: Int64
    var roomID: String

    /// `<direction><joined members>_<room ID>`: `n` pages on after the entry, `p` back before it.
    func token(backward: Bool) -> String { "\(backward ? "p" : "n")\(joinedMembers)_\(roomID)" }

    /// The cursor and direction a token names, or `nil` for anything else.
    static func parse(_ token: String) -> (cursor: DirectoryCursor, backward: Bool)? {
        guard let direction = token.unicodeScalars.first, direction == "n" || direction == "p",
            let separator = token.firstIndex(of: "_"),
            let joined = Int64(token[token.index(after: token.startIndex)..<separator]), joined >= 0
        else { return nil }
        let roomID = String(token[token.index(after: separator)...])
        guard !roomID.isEmpty else { return nil }
        return (DirectoryCursor(joinedMembers: joined, roomID: roomID), direction == "p")
    }
}
