import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// Joins of other servers' users to rooms this server is in: `make_join` (v1) and `send_join` (v2).
public enum FederationJoinRoutes {
    static let eventShape = RequestShape(
        query: [QueryField("omit_members", .boolean, example: "false")],
        body: .jsonObject([
            BodyField("type", .string, required: true, example: "m.room.member"),
            BodyField("sender", .string, required: true, example: "@alice:remote.test"),
            BodyField("room_id", .string, required: true, example: "!room:axon.test"),
            BodyField("content", .object, required: true, example: ["membership": "join"]),
        ])
    )

    public static func routes(_ joins: FederationJoins) -> [Route] {
        [
            .federation(
                .get, "/_matrix/federation/v1/make_join/{roomId}/{userId}",
                shape: RequestShape(query: [QueryField("ver", .string, example: "10")])
            ) { request in
                let room = try request.request.identifier("roomId", as: RoomID.self)
                let user = try request.request.identifier("userId", as: UserID.self)
                return .json(
                    try await joins.template(room: room, user: user, origin: request.origin, supportedVersions: request.request.query.all("ver"))
                )
            },
            .federation(.put, "/_matrix/federation/v2/send_join/{roomId}/{eventId}", shape: eventShape) { request in
                let room = try request.request.identifier("roomId", as: RoomID.self)
                let eventID = try request.request.identifier("eventId", as: EventID.self)
                return .json(try await joins.accept(room: room, eventID: eventID, json: request.request.body, origin: request.origin))
            },
        ]
    }
}
