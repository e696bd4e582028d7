public import MatrixTypes
public import Storage
import Synchronization

/// Sync filters uploaded with `POST /user/{userId}/filter`, numbered per user.
public final class FilterService: Sendable {
    private let database: any Database
    /// Stored filters never change, and a client long-polling sends the same filter (ID or inline text) with every
    /// request: each is read, parsed and validated once. Beyond `cacheCapacity` filters all are forgotten.
    private let parsed = Mutex<[ParsedKey: JSONValue]>([:])
    private static let cacheCapacity = 10_000
    /// Longer inline filters are parsed on every request rather than kept.
    private static let longestCachedInline = 4_096

    private enum ParsedKey: Hashable {
        case stored(user: [UInt8], id: Int64)
        case inline([UInt8])
    }

    public init(database: any Database) {
        self.database = database
    }

    public func create(_ filter: JSONValue, user: UserID, requester: UserID) async throws(FilterError) -> String {
        guard user == requester else { throw .forbidden("Cannot create filters for other users") }
        try Self.validate(filter)
        let text = String(decoding: filter.encoded(), as: UTF8.self)
        let id = try await FilterError.catching {
            try await database.write { transaction in try UserFiltersTable.insert(userID: user.rawValue, json: text, in: transaction) }
        }
        return String(id)
    }

    /// Refuses a filter that does not fit the spec's definition (`M_BAD_JSON`), uploaded or given inline to `/sync`.
    public static func validate(_ filter: JSONValue) throws(FilterError) {
        if let problem = FilterValidation.problem(in: filter) { throw .invalid(problem) }
    }

    /// A stored filter named by `/sync`'s `filter` parameter: an unknown ID is a bad parameter there (`400
    /// M_INVALID_PARAM`, as Synapse answers), not a missing resource.
    public func syncFilter(_ filterID: String, user: UserID) async throws(FilterError) -> JSONValue {
        let key = Int64(filterID).map { ParsedKey.stored(user: Array(user.rawValue.utf8), id: $0) }
        if let key, let known = parsed.withLock({ $0[key] }) { return known }
        do {
            let filter = try await get(filterID, user: user, requester: user)
            if let key { remember(filter, as: key) }
            return filter
        } catch .notFound {
            throw .unknownSyncFilter
        }
    }

    /// A filter given inline to `/sync`: `nil` when the text is not JSON; `M_BAD_JSON` when it is not a filter.
    public func inlineSyncFilter(_ text: String) throws(FilterError) -> JSONValue? {
        let bytes = Array(text.utf8)
        let key = bytes.count <= Self.longestCachedInline ? ParsedKey.inline(bytes) : nil
        if let key, let known = parsed.withLock({ $0[key] }) { return known }
        guard let filter = try? JSONValue.parse(bytes) else { return nil }
        try Self.validate(filter)
        if let key { remember(filter, as: key) }
        return filter
    }

    private func remember(_ filter: JSONValue, as key: ParsedKey) {
        parsed.withLock { parsed in
            if parsed.count >= Self.cacheCapacity { parsed.removeAll(keepingCapacity: true) }
            parsed[key] = filter
        }
    }

    public func get(_ filterID: String, user: UserID, requester: UserID) async throws(FilterError) -> JSONValue {
        guard user == requester else { throw .forbidden("Cannot get filters for other users") }
        guard let id = Int64(filterID) else { throw .notFound }
        let text = try await FilterError.catching {
            try await database.read { connection in try UserFiltersTable.json(userID: user.rawValue, filterID: id, in: connection) }
        }
        guard let text, let filter = try? JSONValue.parse(text) else { throw .notFound }
        return filter
    }
}
