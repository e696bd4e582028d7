import Directory
import Federation
import MatrixTypes
import NIOHTTP1

/// Other servers' aliases and public room lists, asked with `/_matrix/federation/v1/query/directory` and
/// `/_matrix/federation/v1/publicRooms` (a search as a POST with its filter, as Synapse asks).
struct FederatedDirectories: RemoteDirectories {
    let client: FederationClient

    func resolve(_ alias: RoomAlias) async throws(DirectoryError) -> ResolvedAlias {
        let answer: JSONValue
        do {
            answer = try await client.get(
                FederationTarget.make("/_matrix/federation/v1/query/directory", query: [("room_alias", alias.rawValue)]), from: alias.serverName
            )
        } catch {
            if case .refused(404, _, _) = error { throw .aliasNotFound }
            throw .remoteUnavailable("\(alias.serverName): \(error)")
        }
        guard let text = answer["room_id"]?.stringValue, let roomID = try? RoomID(text) else {
            throw .remoteUnavailable("\(alias.serverName) answered without a room ID")
        }
        let servers = answer["servers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return ResolvedAlias(roomID: roomID, servers: servers.isEmpty ? [alias.serverName.rawValue] : servers)
    }

    func publicRooms(on server: ServerName, limit: Int?, since: String?, searchTerm: String?) async throws(DirectoryError) -> JSONValue {
        do {
            if let searchTerm {
                var body: JSONObject = ["filter": ["generic_search_term": .string(searchTerm)]]
                if let limit { body["limit"] = .integer(Int64(limit)) }
                if let since { body["since"] = .string(since) }
                return try await client.send(.POST, "/_matrix/federation/v1/publicRooms", to: server, content: .object(body))
            }
            var query: [(String, String)] = []
            if let limit { query.append(("limit", String(limit))) }
            if let since { query.append(("since", since)) }
            return try await client.get(FederationTarget.make("/_matrix/federation/v1/publicRooms", query: query), from: server)
        } catch {
            if case .refused(403, _, let message) = error { throw .forbidden(message ?? "The server does not share its public rooms") }
            throw .remoteUnavailable("\(server): \(error)")
        }
    }
}
