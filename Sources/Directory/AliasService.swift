import MatrixTypes
import Storage

/// Local room aliases and the public room directory listing.
final class AliasService: Sendable {
    private let database: any Database

    init(database: any Database) {
        self.database = database
    }

    func roomID(for alias: RoomAlias) async throws(DirectoryError) -> RoomID? {
        let found = try await DirectoryError.catching {
            try await database.read { connection in try RoomAliasesTable.find(alias: alias.rawValue, in: connection) }
        }
        return found.flatMap { try? RoomID($0.roomID) }
    }

    func create(_ alias: RoomAlias, roomID: RoomID, creator: UserID) async throws(DirectoryError) {
        try await insert(alias, roomID: roomID.rawValue, creator: creator)
    }

    /// Takes an alias for a room not written yet; it resolves to nothing until `bind`.
    func reserve(_ alias: RoomAlias, creator: UserID) async throws(DirectoryError) {
        try await insert(alias, roomID: "", creator: creator)
    }

    func bind(_ alias: RoomAlias, to roomID: RoomID) async throws(DirectoryError) {
        try await DirectoryError.catching {
            try await database.write { transaction in try RoomAliasesTable.bind(alias: alias.rawValue, to: roomID.rawValue, in: transaction) }
        }
    }

    /// Gives back a reservation whose room was never written.
    func release(_ alias: RoomAlias) async {
        _ = try? await database.write { transaction in try RoomAliasesTable.deleteReservation(alias: alias.rawValue, in: transaction) }
    }

    private func insert(_ alias: RoomAlias, roomID: String, creator: UserID) async throws(DirectoryError) {
        do {
            try await database.write { transaction in
                try RoomAliasesTable.insert(alias: alias.rawValue, roomID: roomID, creator: creator.rawValue, in: transaction)
            }
        } catch StorageError.uniqueViolation {
            throw .aliasInUse
        } catch {
            throw DirectoryError(wrapping: error)
        }
    }

    /// The room an alias names (`nil` while reserved for a room being created) and who created it.
    func entry(_ alias: RoomAlias) async throws(DirectoryError) -> (roomID: RoomID?, creator: String)? {
        let found = try await DirectoryError.catching {
            try await database.read { connection in try RoomAliasesTable.find(alias: alias.rawValue, in: connection) }
        }
        return found.map { (try? RoomID($0.roomID), $0.creator) }
    }

    func remove(_ alias: RoomAlias) async throws(DirectoryError) {
        try await DirectoryError.catching {
            try await database.write { transaction in try RoomAliasesTable.delete(alias: alias.rawValue, in: transaction) }
        }
    }

    func aliases(of roomID: RoomID) async throws(DirectoryError) -> [String] {
        try await DirectoryError.catching {
            try await database.read { connection in try RoomAliasesTable.aliases(ofRoom: roomID.rawValue, in: connection) }
        }
    }

    /// Listed with its joined member count, which the room's writer keeps current from here on.
    func setListed(_ listed: Bool, roomID: RoomID) async throws(DirectoryError) {
        try await DirectoryError.catching {
            try await database.write { transaction in
                if listed {
                    try RoomDirectoryTable.list(roomID: roomID.rawValue, in: transaction)
                } else {
                    try RoomDirectoryTable.unlist(roomID: roomID.rawValue, in: transaction)
                }
            }
        }
    }

    func isListed(_ roomID: RoomID) async throws(DirectoryError) -> Bool {
        try await DirectoryError.catching {
            try await database.read { connection in try RoomDirectoryTable.isListed(roomID: roomID.rawValue, in: connection) }
        }
    }

    /// A page of listed rooms in listing order after (or, `backward`, before) `cursor`; see `RoomDirectoryTable.page`.
    func listedRooms(after cursor: DirectoryCursor?, backward: Bool = false, limit: Int) async throws(DirectoryError) -> [DirectoryCursor] {
        guard limit > 0 else { return [] }
        return try await DirectoryError.catching {
            try await database.read { connection in
                try RoomDirectoryTable.page(after: cursor, backward: backward, limit: limit, in: connection)
            }
        }
    }

    /// How many rooms are listed.
    func listedCount() async throws(DirectoryError) -> Int64 {
        try await DirectoryError.catching { try await database.read { connection in try RoomDirectoryTable.count(in: connection) } }
    }
}
