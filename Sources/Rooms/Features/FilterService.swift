public import MatrixTypes
public import Storage

/// Sync filters uploaded with `POST /user/{userId}/filter`, numbered per user.
public final class FilterService: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    public func create(_ filter: JSONValue, user: UserID, requester: UserID) async throws(RoomError) -> String {
        guard user == requester else { throw .forbidden("Cannot create filters for other users") }
        try Self.validate(filter)
        let text = String(decoding: filter.encoded(), as: UTF8.self)
        let id = try await databaseCall {
            try await database.write { transaction -> Int64 in
                let next = try transaction.queryValue(
                    "SELECT COALESCE(MAX(filter_id), -1) + 1 FROM user_filters WHERE user_id = ?", [.text(user.rawValue)], as: Int64.self
                )
                try transaction.execute(
                    "INSERT INTO user_filters (user_id, filter_id, filter_json) VALUES (?, ?, ?)",
                    [.text(user.rawValue), .integer(next), .text(text)]
                )
                return next
            }
        }
        return String(id)
    }

    /// Refuses a filter that does not fit the spec's definition (`M_BAD_JSON`), uploaded or given inline to `/sync`.
    public static func validate(_ filter: JSONValue) throws(RoomError) {
        if let problem = FilterValidation.problem(in: filter) { throw .badJSON(problem) }
    }

    /// A stored filter named by `/sync`'s `filter` parameter: an unknown ID is a bad parameter there (`400
    /// M_INVALID_PARAM`, as Synapse answers), not a missing resource.
    public func syncFilter(_ filterID: String, user: UserID) async throws(RoomError) -> JSONValue {
        do {
            return try await get(filterID, user: user, requester: user)
        } catch .filterNotFound {
            throw .badRequest("No such filter")
        }
    }

    public func get(_ filterID: String, user: UserID, requester: UserID) async throws(RoomError) -> JSONValue {
        guard user == requester else { throw .forbidden("Cannot get filters for other users") }
        guard let id = Int64(filterID) else { throw .filterNotFound }
        let text = try await databaseCall {
            try await database.read { connection -> String? in
                try connection.queryOne(
                    "SELECT filter_json FROM user_filters WHERE user_id = ? AND filter_id = ?", [.text(user.rawValue), .integer(id)]
                )?.decode(0)
            }
        }
        guard let text, let filter = try? JSONValue.parse(text) else { throw .filterNotFound }
        return filter
    }
}
