import Accounts
public import Directory
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// Room aliases (`/directory/room/{roomAlias}`, `/rooms/{roomId}/aliases`) and the public room directory
/// (`/directory/list/room/{roomId}`, `/publicRooms`).
public enum DirectoryRoutes {
    static let aliasShape = RequestShape(body: .jsonObject([BodyField("room_id", .string, required: true, example: "!nowhere:axon.test")]))
    static let visibilityShape = RequestShape(body: .jsonObject([BodyField("visibility", .string, required: false, example: "public")]))
    static let publicRoomsQuery = RequestShape(query: [
        QueryField("limit", .integer(0...10_000), example: "10"),
        QueryField("since", .string, example: "0"),
        QueryField("server", .string, example: "axon.test"),
    ])
    static let publicRoomsShape = RequestShape(
        query: [QueryField("server", .string, example: "axon.test")],
        body: .jsonObjectOrEmpty([
            BodyField("limit", .integer, required: false, example: 10),
            BodyField("since", .string, required: false, example: "0"),
            BodyField("filter", .object, required: false, example: [:]),
        ])
    )

    public static func routes(_ directory: DirectoryService, allowPublicRoomsWithoutAuth: Bool) -> [Route] {
        ClientPath.expand("/directory/room/{roomAlias}").flatMap { [resolve($0, directory), create($0, directory), delete($0, directory)] }
            + ClientPath.expand("/rooms/{roomId}/aliases", versions: ["v3"]).map { roomAliases($0, directory) }
            + ClientPath.expand("/directory/list/room/{roomId}").flatMap { [visibility($0, directory), setVisibility($0, directory)] }
            + ClientPath.expand("/publicRooms").flatMap {
                [listRooms($0, directory, open: allowPublicRoomsWithoutAuth), searchRooms($0, directory)]
            }
    }

    static func resolve(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader) { request in
            let alias: RoomAlias = try request.identifier("roomAlias")
            let resolved = try await directory.resolve(alias)
            return .json(["room_id": .string(resolved.roomID.rawValue), "servers": .array(resolved.servers.map { .string($0) })])
        }
    }

    static func create(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: aliasShape) { request in
            guard let text = request.body["room_id"]?.stringValue, let roomID = try? RoomID(text) else {
                throw MatrixError.invalidParameter("'room_id' must be a room ID")
            }
            try await directory.createAlias(try request.identifier("roomAlias"), roomID: roomID, requester: request.requester.userID)
            return .json([:])
        }
    }

    static func delete(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.delete, path, resource: .client, role: .main, auth: .user) { request in
            try await directory.deleteAlias(try request.identifier("roomAlias"), requester: request.requester.userID)
            return .json([:])
        }
    }

    static func roomAliases(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader, auth: .user) { request in
            let aliases = try await directory.aliases(of: try request.identifier("roomId"), viewer: request.requester.userID)
            return .json(["aliases": .array(aliases.map(JSONValue.string))])
        }
    }

    static func visibility(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.get, path, resource: .client, role: .clientReader) { request in
            let listed = try await directory.isListed(try request.identifier("roomId"))
            return .json(["visibility": .string(listed ? "public" : "private")])
        }
    }

    static func setVisibility(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.put, path, resource: .client, role: .main, auth: .user, shape: visibilityShape) { request in
            let visibility = request.body["visibility"]?.stringValue ?? "public"
            guard visibility == "public" || visibility == "private" else {
                throw MatrixError.invalidParameter("'visibility' must be public or private")
            }
            try await directory.setListed(
                visibility == "public", roomID: try request.identifier("roomId"), requester: request.requester.userID
            )
            return .json([:])
        }
    }

    static func listRooms(_ path: String, _ directory: DirectoryService, open: Bool) -> Route {
        let handler: Route.Handler = { request in
            let limit = request.query["limit"].flatMap { Int($0) }
            return .json(try await directory.publicRooms(on: try server(request), limit: limit, since: request.query["since"], searchTerm: nil))
        }
        if open { return Route(.get, path, resource: .client, role: .clientReader, shape: publicRoomsQuery, handler: handler) }
        return Route(.get, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: publicRoomsQuery) { request in
            try await handler(request.request)
        }
    }

    static func searchRooms(_ path: String, _ directory: DirectoryService) -> Route {
        Route(.post, path, resource: .client, role: .clientReader, auth: .userOrGuest, shape: publicRoomsShape) { request in
            let limit = request.body["limit"]?.integerValue.map { Int($0) }
            let term = request.body["filter"]?["generic_search_term"]?.stringValue
            return .json(
                try await directory.publicRooms(on: try server(request.request), limit: limit, since: request.body["since"]?.stringValue, searchTerm: term)
            )
        }
    }

    /// The `server` whose list is asked for, if any.
    static func server(_ request: MatrixRequest) throws(MatrixError) -> ServerName? {
        guard let text = request.query["server"] else { return nil }
        guard let server = try? ServerName(text) else { throw .invalidParameter("Invalid server name '\(text)'") }
        return server
    }
}
