import Accounts
public import Filters
import HTTPTypes
public import MatrixHTTP
import MatrixTypes
import Replication
import Rooms
public import Sync

/// `GET /sync`, long-polling on client readers.
public enum SyncRoutes {
    static let syncQuery = RequestShape(query: [
        QueryField("since", .string, example: "a1_0_0_0_0.0"),
        QueryField("timeout", .integer(0...Int64(Int32.max)), example: "0"),
        QueryField("full_state", .boolean, example: "false"),
        QueryField("set_presence", .oneOf(["online", "offline", "unavailable"]), example: "online"),
        QueryField("filter", .string, example: "{}"),
    ])

    /// Long-polls are capped as Synapse does, so proxies with a 60 s read timeout never cut one.
    static let maximumTimeout: Int64 = 50_000

    public static func routes(_ sync: SyncService, filters: FilterService) -> [Route] {
        ClientPath.expand("/sync").map { route($0, sync, filters) }
    }

    static func route(_ path: String, _ sync: SyncService, _ filters: FilterService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: syncQuery) { request in
            let since = try request.query["since"].map { text throws(MatrixError) -> SyncToken in
                guard let token = SyncToken(text) else { throw .invalidParameter("Invalid 'since' token") }
                return token
            }
            var filterJSON: JSONValue = [:]
            if let parameter = request.query["filter"] { filterJSON = try await filter(parameter, user: request.requester.userID, filters) }
            let timeout = min(request.query["timeout"].flatMap { Int64($0) } ?? 0, maximumTimeout)
            let response = try await sync.sync(
                SyncRequest(
                    user: request.requester.userID, deviceID: request.requester.deviceID, since: since,
                    timeout: .milliseconds(timeout), fullState: request.query["full_state"] == "true",
                    filter: SyncFilter(json: filterJSON), setPresence: request.query["set_presence"] ?? "online"
                )
            )
            return .json(response)
        }
    }

    /// The `filter` parameter: inline JSON (`M_NOT_JSON` when it does not parse, `M_BAD_JSON` when it is not a
    /// valid filter) or the ID of an uploaded filter.
    static func filter(_ parameter: String, user: UserID, _ filters: FilterService) async throws -> JSONValue {
        guard parameter.hasPrefix("{") else { return try await filters.syncFilter(parameter, user: user) }
        guard let json = try filters.inlineSyncFilter(parameter) else { throw MatrixError.notJSON("Invalid filter JSON") }
        return json
    }
}
