import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// Other servers' users joining, leaving and knocking on rooms this server is in: `make_join` and `send_join` (v2),
/// `make_leave` and `send_leave` (v2), `make_knock` and `send_knock`.
public enum MembershipHandshakeRoutes {
    static func eventShape(_ membership: String) -> RequestShape {
        RequestShape(
            query: membership == Membership.join ? [QueryField("omit_members", .boolean, example: "false")] : [],
            body: .jsonObject([
                BodyField("type", .string, required: true, example: "m.room.member"),
                BodyField("sender", .string, required: true, example: "@alice:remote.test"),
                BodyField("room_id", .string, required: true, example: "!room:axon.test"),
                BodyField("content", .object, required: true, example: ["membership": .string(membership)]),
            ])
        )
    }

    static let versions = RequestShape(query: [QueryField("ver", .string, example: "10")])

    public static func routes(_ handshakes: MembershipHandshakes) -> [Route] {
        [
            make("/_matrix/federation/v1/make_join", Membership.join, handshakes, shape: versions),
            make("/_matrix/federation/v1/make_leave", Membership.leave, handshakes, shape: .empty),
            make("/_matrix/federation/v1/make_knock", Membership.knock, handshakes, shape: versions),
            send("/_matrix/federation/v2/send_join", Membership.join) { try await handshakes.acceptJoin(room: $0, eventID: $1, json: $2, origin: $3) },
            send("/_matrix/federation/v2/send_leave", Membership.leave) { try await handshakes.acceptLeave(room: $0, eventID: $1, json: $2, origin: $3) },
            send("/_matrix/federation/v1/send_knock", Membership.knock) { try await handshakes.acceptKnock(room: $0, eventID: $1, json: $2, origin: $3) },
        ]
    }

    private static func make(_ prefix: String, _ membership: String, _ handshakes: MembershipHandshakes, shape: RequestShape) -> Route {
        .federation(.get, "\(prefix)/{roomId}/{userId}", shape: shape) { request in
            let room = try request.request.identifier("roomId", as: RoomID.self)
            let user = try request.request.identifier("userId", as: UserID.self)
            let versions = shape.query.isEmpty ? nil : request.request.query.all("ver")
            return .json(try await handshakes.template(membership, room: room, user: user, origin: request.origin, supportedVersions: versions))
        }
    }

    private static func send(
        _ prefix: String, _ membership: String,
        _ accept: @escaping @Sendable (RoomID, EventID, JSONValue, ServerName) async throws -> JSONValue
    ) -> Route {
        .federation(.put, "\(prefix)/{roomId}/{eventId}", shape: eventShape(membership)) { request in
            let room = try request.request.identifier("roomId", as: RoomID.self)
            let eventID = try request.request.identifier("eventId", as: EventID.self)
            return .json(try await accept(room, eventID, request.request.body, request.origin))
        }
    }
}
