public import Directory
import HTTPTypes
public import MatrixHTTP
import MatrixTypes

/// The room directory as other servers read it: `/_matrix/federation/v1/publicRooms` (GET, and POST with a search
/// filter), gated by `allow_public_rooms_over_federation` as in Synapse, and `/_matrix/federation/v1/query/directory`
/// for local aliases.
public enum FederationDirectoryRoutes {
    static let listQuery = RequestShape(query: [
        QueryField("limit", .integer(0...10_000), example: "10"), QueryField("since", .string, example: "0"),
        QueryField("include_all_networks", .boolean, example: "false"), QueryField("third_party_instance_id", .string, example: "x"),
    ])
    static let searchShape = RequestShape(
        body: .jsonObjectOrEmpty([
            BodyField("limit", .integer, required: false, example: 10), BodyField("since", .string, required: false, example: "0"),
            BodyField("filter", .object, required: false, example: [:]), BodyField("include_all_networks", .boolean, required: false, example: false),
            BodyField("third_party_instance_id", .string, required: false, example: "x"),
        ])
    )

    /// - Parameter publicRoomsAllowed: `allow_public_rooms_over_federation`.
    public static func routes(_ directory: DirectoryService, publicRoomsAllowed: Bool) -> [Route] {
        let refusal = MatrixError(.forbidden, "You are not allowed to view the public rooms list of this server", status: 403)
        return [
            .federation(.get, "/_matrix/federation/v1/publicRooms", shape: listQuery) { request in
                guard publicRoomsAllowed else { throw refusal }
                let query = request.request.query
                return .json(try await directory.publicRooms(limit: query["limit"].flatMap { Int($0) }, since: query["since"], searchTerm: nil))
            },
            .federation(.post, "/_matrix/federation/v1/publicRooms", shape: searchShape) { request in
                guard publicRoomsAllowed else { throw refusal }
                let body = request.request.body
                return .json(
                    try await directory.publicRooms(
                        limit: body["limit"]?.integerValue.map { Int($0) }, since: body["since"]?.stringValue,
                        searchTerm: body["filter"]?["generic_search_term"]?.stringValue
                    )
                )
            },
            .federation(
                .get, "/_matrix/federation/v1/query/directory",
                shape: RequestShape(query: [QueryField("room_alias", .string, required: true, example: "%23nowhere:axon.test")])
            ) { request in
                let text = request.request.query["room_alias"] ?? ""
                guard let alias = try? RoomAlias(text) else { throw MatrixError.invalidParameter("Invalid room_alias '\(text)'") }
                let resolved = try await directory.resolveLocal(alias)
                return .json(["room_id": .string(resolved.roomID.rawValue), "servers": .array(resolved.servers.map { .string($0) })])
            },
        ]
    }
}
