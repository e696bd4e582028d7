import HTTPTypes
public import MatrixHTTP
import MatrixTypes
public import Presence
public import Rooms

/// Internal endpoints on the `replication` listener through which workers hand writes to the main process or to an
/// event persister. Never routed by nginx; every request carries `worker_replication_secret` when one is configured.
public enum ReplicationRoutes {
    public static let presencePath = "/_axon/replication/v1/presence/syncing"
    public static let persistPath = "/_axon/replication/v1/events/persist"
    public static let receivePath = "/_axon/replication/v1/events/receive"
    /// The status of a write unit the room writer refused; the body says why (`RoomError.wireJSON`).
    public static let refusedStatus = HTTPResponse.Status(code: 422)

    static let persistShape = RequestShape(body: .jsonObject([
        BodyField("intents", .array, required: true, example: [["sender": "@alice:axon.test", "type": "m.room.message", "content": [:]]]),
        BodyField("room_id", .string, required: false, example: "!room:axon.test"),
        BodyField("new_room_version", .string, required: false, example: "10"),
    ]))

    static let receiveShape = RequestShape(body: .jsonObject([
        BodyField("room_id", .string, required: true, example: "!room:axon.test"),
        BodyField("room_version", .string, required: true, example: "10"),
        BodyField("events", .array, required: true, example: []),
    ]))

    /// An event persister's endpoints: a write unit from another process, built, authorised and persisted here (the
    /// writer of the unit's room), answered with the events once committed or with the writer's refusal; and events
    /// received from other servers for its rooms, answered with what became of each.
    public static func persisterRoutes(writer: RoomWriter, secret: ReplicationSecret) -> [Route] {
        [
            Route(.post, receivePath, resource: .replication, role: .eventPersister, shape: receiveShape) { request in
                try secret.check(request.headers)
                do throws(RoomError) {
                    let outcomes = try await writer.receive(try ReceivedEvents(wire: request.body))
                    return .json(ReceivedOutcome.wireJSON(outcomes))
                } catch {
                    return .json(error.wireJSON, status: refusedStatus)
                }
            },
            Route(.post, persistPath, resource: .replication, role: .eventPersister, shape: persistShape) { request in
                try secret.check(request.headers)
                do throws(RoomError) {
                    let written = try await writer.write(try WriteUnit(wire: request.body))
                    return .json(WrittenEvent.wireJSON(written))
                } catch {
                    return .json(error.wireJSON, status: refusedStatus)
                }
            }
        ]
    }

    static let syncingShape = RequestShape(body: .jsonObject([
        BodyField("user_id", .string, required: true, example: "@alice:axon.test"),
        BodyField("presence", .string, required: true, example: "online"),
    ]))

    public static func routes(presence: PresenceService, secret: ReplicationSecret) -> [Route] {
        [
            Route(.post, presencePath, resource: .replication, role: .main, shape: syncingShape) { request in
                try secret.check(request.headers)
                guard let presenceState = request.body["presence"]?.stringValue, PresenceService.states.contains(where: { $0.hasSameBytes(as: presenceState) })
                else { throw MatrixError.invalidParameter("Invalid presence state") }
                guard let text = request.body["user_id"]?.stringValue, let user = try? UserID(text) else {
                    throw MatrixError.invalidParameter("user_id is not a user ID")
                }
                try await presence.syncing(user, presence: presenceState)
                return .json([:])
            }
        ]
    }
}
