import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import RoomFederation

/// `PUT /_matrix/federation/v2/invite/{roomId}/{eventId}`: another server inviting one of this server's users.
public enum FederationInviteRoutes {
    static let shape = RequestShape(body: .jsonObject([
        BodyField("event", .object, required: true, example: ["type": "m.room.member", "content": ["membership": "invite"]]),
        BodyField("room_version", .string, required: true, example: "10"),
        BodyField("invite_room_state", .array, required: false, example: []),
    ]))

    public static func routes(_ invites: FederationInvites) -> [Route] {
        [
            .federation(.put, "/_matrix/federation/v2/invite/{roomId}/{eventId}", shape: shape) { request in
                let room = try request.request.identifier("roomId", as: RoomID.self)
                let eventID = try request.request.identifier("eventId", as: EventID.self)
                return .json(try await invites.invite(room: room, eventID: eventID, body: request.request.body, origin: request.origin))
            }
        ]
    }
}
